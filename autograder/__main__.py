"""Instructor commands: python -m autograder COMMAND (see --help)."""

import argparse
import json
import sys
from pathlib import Path

from autograder import notebooks as nbs


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("chapters", help="list the chapters in course order")
    examples_ = sub.add_parser("examples", help="write the example submissions into submitted/")
    examples_.add_argument("--course", default=str(nbs.ROOT), help="course root to write into")
    report = sub.add_parser("report", help="print the score table from grades.csv")
    report.add_argument("--csv", help="nbgrader's export (default: grades.csv in the course)")
    report.add_argument(
        "--course", default=str(nbs.ROOT), help="course root (default: this one; `make` uses .demo)"
    )
    mutants = sub.add_parser("mutants", help="run a chapter's mutants against its hidden tests")
    mutants.add_argument("chapter")
    sub.add_parser("normalize", help="clear outputs and normalize metadata of committed notebooks")
    lms = sub.add_parser(
        "lms", help="Canvas gradebook CSV and feedback archives for the LMS's bulk upload"
    )
    lms.add_argument("chapters", nargs="+", metavar="CHAPTER")
    lms.add_argument("--out", help="folder to write into (default: the course root)")
    lms.add_argument("--db-url", help="gradebook (default: the course's gradebook.db)")
    sub.add_parser("term", help="the term's due dates (term.toml), written into the gradebook")
    sub.add_parser(
        "settings", help="the grading settings this course adds (limits, sandbox, warm kernels)"
    )
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

        examples.write_submissions(args.course)
    elif args.command == "report":
        from autograder import report as report_module

        course = Path(args.course).resolve()
        return report_module.main(args.csv or str(course / "grades.csv"), course)
    elif args.command == "lms":
        from autograder import lms as lms_module

        return lms_module.main(args.chapters, db_url=args.db_url, out=args.out)
    elif args.command == "term":
        import os

        from autograder import term

        url = os.environ.get("BACKPROP_DB_URL") or f"sqlite:///{nbs.ROOT}/gradebook.db"
        return term.main(nbs.ROOT, url, "backprop-from-scratch")
    elif args.command == "mutants":
        from autograder import mutation

        json.dump(mutation.run_chapter(args.chapter), sys.stdout)
    elif args.command == "settings":
        from autograder import settings

        print(settings.describe(nbs.ROOT))
    elif args.command == "normalize":
        from autograder import normalize

        changed = normalize.normalize_tree(nbs.ROOT)
        for path in changed:
            print(f"normalized {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
