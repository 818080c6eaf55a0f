from portal.db import tortoise_config
from portal.settings import Settings

TORTOISE_ORM = tortoise_config(Settings.from_env())
