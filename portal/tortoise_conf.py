from portal.settings import Settings
from portal.db import tortoise_config
TORTOISE_ORM = tortoise_config(Settings.from_env())
