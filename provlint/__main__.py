from provlint.cli import main

main(prog_name="provlint")
