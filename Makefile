.PHONY: demo test install lint bench

demo:  ## Install, migrate, load the demo content and serve on http://127.0.0.1:8000
	scripts/demo.sh

test:  ## Run every test (unit, integration, browser); DATABASE_URL picks the database
	scripts/test.sh

install:
	scripts/install.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/python manage.py makemigrations --check --dry-run

bench:  ## Home page against a trivial view under gunicorn on PostgreSQL
	.venv/bin/python bench/home.py
