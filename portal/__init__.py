"""Web layer of the self-service portal: app factory, settings, controllers, templates."""
