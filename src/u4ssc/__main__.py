from u4ssc.cli import main

raise SystemExit(main())
