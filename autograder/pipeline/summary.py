"""What an instructor reads after grading a chapter: mean, distribution, most often failed.

Everything comes from the gradebook's per-cell grades (nbgrader's `Grade` rows), not from the
CSV export, so the exercises students fail most are named, not just the totals.
"""

import re
import statistics
from collections import Counter

from autograder import notebooks as nbs
from autograder import term

BINS = 10
BAR_WIDTH = 30


def exercise_labels(chapter, root=nbs.ROOT):
    """{test grade_id: 'Exercise 1.4 layer_dense_forward'} from the source notebook."""
    nb = nbs.load(nbs.notebook_path(chapter, "source", root))
    heading, headings = None, {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            m = re.search(r"^#+\s*(Exercise\s+[\d.]+)", nbs.source_text(cell), re.M)
            if m:
                heading = m.group(1)
        grade_id = nbs.nbgrader_meta(cell).get("grade_id")
        if nbs.nbgrader_meta(cell).get("solution") and heading:
            headings[grade_id] = heading
    labels = {}
    for solution, tests in nbs.exercises(nb).items():
        for test in tests:
            labels[test] = f"{headings.get(solution, 'exercise')} {solution}".strip()
    return labels


def chapter_stats(gradebook, chapter):
    """Scores and per-cell failures of every graded submission of `chapter`."""
    assignment = gradebook.find_assignment(chapter)
    from autograder.pipeline.db import awaits_hand_grading

    scores, failed, attempted, ungraded, by_hand = {}, Counter(), Counter(), [], []
    late = {}
    for submission in assignment.submissions:
        every = [g for nb in submission.notebooks for g in nb.grades]
        grades = [g for g in every if not awaits_hand_grading(g)]
        if not grades or any(g.auto_score is None and g.manual_score is None for g in grades):
            ungraded.append(submission.student.id)
            continue
        if len(grades) < len(every):
            by_hand.append(submission.student.id)
        penalty = float(submission.late_submission_penalty or 0)
        # as nbgrader's export computes `score`: the late penalty taken off
        scores[submission.student.id] = float(submission.score) - penalty
        late[submission.student.id] = (float(submission.total_seconds_late), penalty)
        for grade in grades:
            attempted[grade.name] += 1
            if grade.score < grade.max_score:
                failed[grade.name] += 1
    return {
        "chapter": chapter,
        "max_score": float(assignment.max_score),
        "scores": scores,
        "failed": failed,
        "attempted": attempted,
        "ungraded": sorted(ungraded),
        # written answers not graded by hand yet: their points count 0 until then
        "awaiting_hand_grading": sorted(by_hand),
        # {student: (seconds late, penalty)} of submissions handed in after the due date
        "late": {s: v for s, v in sorted(late.items()) if v[0] > 0},
        "duedate": assignment.duedate,
    }


def histogram(scores, max_score, bins=BINS):
    """Counts per band of 100/bins percent; a full score falls in the top band."""
    counts = [0] * bins
    for score in scores:
        fraction = score / max_score if max_score else 0.0
        counts[min(int(fraction * bins), bins - 1)] += 1
    return counts


def format_stats(stats, labels=None, top=5):
    labels = labels or {}
    chapter, max_score, scores = stats["chapter"], stats["max_score"], stats["scores"]
    lines = [f"{chapter}: {len(scores)} graded submissions, out of {max_score:g} points"]
    if not scores:
        return "\n".join(lines)
    values = list(scores.values())
    mean = statistics.fmean(values)
    lines.append(
        f"  mean {mean:.2f} ({100 * mean / max_score:.0f}%), median {statistics.median(values):g},"
        f" min {min(values):g}, max {max(values):g}"
    )
    counts = histogram(values, max_score)
    biggest = max(counts)
    step = 100 // BINS
    for i, count in enumerate(counts):
        band = f"{i * step}-{(i + 1) * step - 1}%" if i < BINS - 1 else f"{i * step}-100%"
        bar = "#" * round(BAR_WIDTH * count / biggest) if biggest else ""
        lines.append(f"  {band:>8} {bar:<{BAR_WIDTH}} {count}")
    worst = [(name, n) for name, n in stats["failed"].most_common(top) if n]
    if worst:
        lines.append("  most often failed:")
        for name, n in worst:
            label = labels.get(name, "")
            lines.append(f"    {name:<32} {label:<36} {n}/{stats['attempted'][name]} lost points")
    else:
        lines.append("  no test cell lost points")
    waiting = stats.get("awaiting_hand_grading") or []
    if waiting:
        lines.append(
            f"  written answers to grade by hand ({len(waiting)}, formgrader): {', '.join(waiting)}"
        )
    if stats.get("duedate") is not None:
        lines.append(f"  due {stats['duedate']:%Y-%m-%d %H:%M} UTC")
    for student, (seconds, penalty) in (stats.get("late") or {}).items():
        lines.append(
            f"  late: {student}, {term.format_delay(seconds)} late, penalty {penalty:g} points"
        )
    return "\n".join(lines)
