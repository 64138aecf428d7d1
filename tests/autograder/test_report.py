"""The score table printed by `make`."""

from autograder import report

CSV = """assignment,duedate,timestamp,student_id,last_name,first_name,email,raw_score,late_submission_penalty,score,max_score
01_dense_layers,None,None,alice,None,None,None,9.0,0.0,9.0,9.0
01_dense_layers,None,None,bob,None,None,None,5.0,0.0,5.0,9.0
"""


def test_table_has_a_row_per_student_and_totals(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(CSV)
    table = report.format_table(report.read_grades(path), ["01_dense_layers", "02_activations"])
    lines = table.splitlines()
    assert lines[0].split() == ["student", "01_dense_layers", "02_activations", "total"]
    assert lines[1].split() == ["alice", "9/9", "-", "9/9"]
    assert lines[2].split() == ["bob", "5/9", "-", "5/9"]


def test_pending_written_answers_and_late_penalties_are_shown(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text(CSV.replace("bob,None,None,None,5.0,0.0,5.0", "bob,None,None,None,5.0,0.5,4.5"))
    table = report.format_table(
        report.read_grades(path),
        ["01_dense_layers"],
        pending={("alice", "01_dense_layers"): 2.0},
        penalties=report.read_penalties(path),
    )
    lines = table.splitlines()
    assert lines[1].split() == ["alice", "9/9", "(+2", "by", "hand)", "9/9"]
    assert lines[2].split() == ["bob", "4.5/9", "late", "-0.5", "4.5/9"]
    assert report.assigned_chapters(report.read_grades(path)) == ["01_dense_layers"]
