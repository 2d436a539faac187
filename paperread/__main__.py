from paperread.cli import main

raise SystemExit(main())
