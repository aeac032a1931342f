from healthgym.cli import main

main()
