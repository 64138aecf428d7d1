"""Instructor commands: python -m autograder COMMAND (see --help)."""

import argparse
import json
import sys

from autograder import notebooks as nbs


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("chapters", help="list the chapters in course order")
    sub.add_parser("examples", help="write the example submissions into submitted/")
    report = sub.add_parser("report", help="print the score table from grades.csv")
    report.add_argument("--csv", default=str(nbs.ROOT / "grades.csv"))
    mutants = sub.add_parser("mutants", help="run a chapter's mutants against its hidden tests")
    mutants.add_argument("chapter")
    sub.add_parser("normalize", help="clear outputs and normalize metadata of committed notebooks")
    from autograder import grade as grade_module

    grade = sub.add_parser(
        "grade", help="collect, autograde in parallel, feedback, export, summary (resumable)"
    )
    grade_module.add_arguments(grade)
    args = parser.parse_args(argv)

    if args.command == "grade":
        return grade_module.main(args)

    if args.command == "chapters":
        print("\n".join(nbs.chapters()))
    elif args.command == "examples":
        from autograder import examples

        examples.write_submissions()
    elif args.command == "report":
        from autograder import report as report_module

        return report_module.main(args.csv)
    elif args.command == "mutants":
        from autograder import mutation

        json.dump(mutation.run_chapter(args.chapter), sys.stdout)
    elif args.command == "normalize":
        from autograder import normalize

        changed = normalize.normalize_tree(nbs.ROOT)
        for path in changed:
            print(f"normalized {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
