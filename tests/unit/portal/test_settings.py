"""Settings come from the environment; a bad value names its variable."""

import pytest

from portal.settings import Settings, SettingsError


def test_defaults_use_sqlite_under_the_data_directory(tmp_path):
    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite://{tmp_path / 'portal.sqlite3'}"
    assert settings.default_language == "de"
    assert len(settings.secret_key) >= 32


def test_generated_secret_key_is_kept_between_starts(tmp_path):
    first = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)}).secret_key
    assert Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)}).secret_key == first


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORTAL_DATABASE_URL": "mysql://x"}, "PORTAL_DATABASE_URL"),
        ({"PORTAL_SECRET_KEY": "short"}, "PORTAL_SECRET_KEY"),
        ({"PORTAL_ENV": "production"}, "PORTAL_SECRET_KEY"),
        ({"PORTAL_ENV": "staging"}, "PORTAL_ENV"),
        ({"PORTAL_BASE_URL": "example.com"}, "PORTAL_BASE_URL"),
        ({"PORTAL_DEFAULT_LANGUAGE": "fr"}, "PORTAL_DEFAULT_LANGUAGE"),
        ({"PORTAL_DEMO_CONTENT": "maybe"}, "PORTAL_DEMO_CONTENT"),
        ({"PORTAL_SEARCH_RATE_LIMIT": "lots"}, "PORTAL_SEARCH_RATE_LIMIT"),
    ],
)
def test_invalid_setting_names_the_variable(tmp_path, env, variable):
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), **env})


def test_an_unset_variable_gives_the_declared_default(tmp_path):
    """Every field left unset gets its declared default, never a dataclass slot descriptor."""
    from dataclasses import MISSING, fields

    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)})
    for field in fields(Settings):
        if field.default is not MISSING:
            assert getattr(settings, field.name) == field.default, field.name
    assert settings.smtp_from == "Lindenhof Living <service@lindenhof-living.example>"
