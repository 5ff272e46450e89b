"""Allow ``python -m leadscoring``."""

from leadscoring.cli import main

raise SystemExit(main())
