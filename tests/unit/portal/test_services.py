"""How the per-process services are built from the settings."""

import pytest

from faq.search import semantic
from portal.services import search_tuning
from portal.settings import Settings, SettingsError


def test_semantic_search_is_switched_on_only_where_its_package_is_installed(tmp_path):
    """Without the optional package the switch would do nothing: start-up refuses it."""
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_FAQ_SEMANTIC": "true"}
    settings = Settings.from_env(env)  # the settings only read the switch
    if semantic.available():
        assert search_tuning(settings).semantic is True
    else:
        with pytest.raises(SettingsError, match="PORTAL_FAQ_SEMANTIC"):
            search_tuning(settings)
    assert search_tuning(Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)})).semantic is False
