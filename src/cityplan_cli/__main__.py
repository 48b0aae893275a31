from cityplan_cli.cli import main

main()
