"""Settings come from the environment; a bad value names its variable."""

from pathlib import Path

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


def test_an_unset_sender_is_the_declared_default(tmp_path):
    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)})
    assert settings.smtp_from == "Lindenhof Living <service@lindenhof-living.example>"


def test_every_default_is_a_plain_value_written_once():
    """A default read from the class (a slots descriptor) once became the mail sender."""
    plain = (str, int, float, bool, tuple, type(None), Path)
    for variable, default, description in Settings.variables():
        assert isinstance(default, plain), variable
        assert not hasattr(type(default), "__get__"), variable
        if isinstance(default, tuple):
            assert all(isinstance(item, str | int | float) for item in default), variable
        assert description, f"{variable} needs a description"


def test_the_readme_documents_every_variable():
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    missing = [variable for variable, _, _ in Settings.variables() if f"`{variable}`" not in readme]
    assert missing == []


@pytest.mark.parametrize(
    ("variable", "text", "attribute", "value"),
    [
        ("PORTAL_LOG_LEVEL", "debug", "log_level", "DEBUG"),
        ("PORTAL_ENV", "Production", "env", "production"),
        ("PORTAL_DEMO_CONTENT", "off", "load_demo_content", False),
        ("PORTAL_SMTP_STARTTLS", "yes", "smtp_starttls", True),
        ("PORTAL_WEBHOOK_RETRY_SCHEDULE", "5, 60,", "webhook_retry_schedule", (5.0, 60.0)),
        ("PORTAL_TRUSTED_PROXIES", "10.0.0.0/8, ::1", "trusted_proxies", ("10.0.0.0/8", "::1")),
        ("PORTAL_BASE_URL", "https://portal.example/", "secure_cookies", True),
        ("PORTAL_SEARCH_RATE_LIMIT", " 7 ", "search_rate_limit", 7),
    ],
)
def test_values_are_read_as_written_by_people(tmp_path, variable, text, attribute, value):
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SECRET_KEY": "k" * 32, variable: text}
    assert getattr(Settings.from_env(env), attribute) == value


def test_a_bad_value_is_one_line_with_the_variable_and_what_it_must_be(tmp_path):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_WEBHOOK_TIMEOUT": "0"})
    assert str(info.value) == "PORTAL_WEBHOOK_TIMEOUT must be a number of at least 0.1 (got '0')"
