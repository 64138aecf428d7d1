"""Grading safety: one bad submission costs its own points, never the batch or the machine.

nbgrader_config.py applies these settings (`configure`) to every kernel nbgrader starts
(autograde and validate). What each one does (README, "Grading safety"):

- time: `Execute.timeout` seconds per cell (BACKPROP_CELL_TIMEOUT, default 30), then the
  kernel is interrupted and the cell fails with `timeout_error`'s message;
- memory: the grading kernel's data is capped (BACKPROP_KERNEL_MEMORY, default 2G, "0" for
  no cap) with RLIMIT_DATA, so a memory bomb raises MemoryError in its cell; the memory the
  failed cell's traceback holds is then released, so later cells can still run;
- output: a cell's printed text is cut at MAX_OUTPUT_CHARS inside the kernel (printing 50 MB
  then costs no time), and again in the
  notebook by `LimitOutputSize` (nbgrader's LimitOutput counts lines: one 50 MB line is one);
- warnings: nbgrader scores any stderr in a test cell as zero, so stderr outputs that are
  Python warnings (a NumPy RuntimeWarning from a correct solution) are dropped before scoring;
- deleted test cells: put back from the gradebook and graded (`RestoreMissingCells`).
"""

import os
import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

MEMORY_ENV = "BACKPROP_KERNEL_MEMORY"
TIMEOUT_ENV = "BACKPROP_CELL_TIMEOUT"
DEFAULT_MEMORY = "2G"
DEFAULT_TIMEOUT = 30
# Text a cell may print while grading; the rest is dropped (feedback needs far less).
MAX_OUTPUT_CHARS = 100_000
# Images and other data a cell may display (a plot is about 30 kB); the rest is replaced by a
# note, so a notebook cannot grow the graded copy, the formgrader or feedback without bound.
MAX_OUTPUT_DATA = 2_000_000
DATA_DROPPED = "[{} of {} bytes not kept: a cell may display {} bytes while grading]"

# A line as warnings.showwarning prints it: "<file>:<line>: RuntimeWarning: <message>".
WARNING_PATTERN = r"(?m)^.*:\d+: \w*Warning: "

# Runs inside the grading kernel before any student code (IPKernelApp.exec_lines), with the
# settings of kernel_startup_code as globals. It must not import `autograder` (hidden tests
# import it themselves) and leaves no names in the notebook's namespace.
MARK = "backprop grading limits"
_KERNEL_STARTUP = """# backprop grading limits
import gc, resource, sys

ip = get_ipython()

def exceptions(error):
    seen, stack = [], [error]
    while stack:
        e = stack.pop()
        if e is not None and not any(e is s for s in seen):
            seen.append(e)
            stack += [e.__cause__, e.__context__]
    return seen

reserve = [None]

def out_of_memory(error):
    if isinstance(error, MemoryError):
        return True
    try:  # a hidden test reports the student's MemoryError in its own failure
        return "MemoryError" in str(error)
    except Exception:
        return False

def clear_frames(tb):
    while tb is not None:
        frame = tb.tb_frame
        try:
            frame.clear()
        except RuntimeError:  # still running
            pass
        else:
            if frame.f_code.co_flags & 1:  # a function: also the copy of its locals that
                frame.f_locals.clear()     # displaying the traceback made (frame.f_locals)
        tb = tb.tb_next

def release_after_memory_error(result):
    # After a MemoryError the traceback still holds the failed frames, and so the bomb's
    # data: free them, or every later cell fails for lack of memory too (a hidden test's
    # failure may hold the student's MemoryError as its context: the chain is walked).
    reserve[0] = None  # headroom to do this in
    chain = exceptions(result.error_in_exec)
    if any(out_of_memory(e) for e in chain):
        for e in chain:
            clear_frames(e.__traceback__)
        sys.last_type = sys.last_value = sys.last_traceback = None
        gc.collect()
        sys.stdout.write(MEMORY_NOTE)
    try:
        reserve[0] = bytearray(RESERVE)
    except MemoryError:
        pass

def limit_memory(max_bytes):
    # RLIMIT_DATA counts memory a process can write to (heap, anonymous mappings), not the
    # address space threads and libraries reserve: a 2 GB cap leaves 2 GB for the student.
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    reserve[0] = bytearray(RESERVE)
    ip.events.register("post_run_cell", release_after_memory_error)

def limit_output(max_chars):
    # Drop what a cell prints beyond max_chars at the source: megabytes of output would
    # otherwise cross to nbgrader (about 10 MB/s) and count against the cell's time.
    left = [max_chars]

    def limited(write):
        def write_some(text):
            if left[0] < 0:  # over the limit, the notice already written
                return len(text)
            if len(text) > left[0]:
                write(text[: left[0]] + NOTICE)
                left[0] = -1
                return len(text)
            left[0] -= len(text)
            return write(text)

        write_some.unlimited = write
        return write_some

    def start_cell(*args):
        # IPython swaps stream.write around every cell (it tees output into its history),
        # so the limit is put back in front of whatever write each cell starts with.
        left[0] = max_chars
        for stream in (sys.stdout, sys.stderr):
            write = stream.write
            while hasattr(write, "unlimited"):
                write = write.unlimited
            stream.write = limited(write)

    ip.events.register("pre_run_cell", start_cell)

if MAX_BYTES:
    limit_memory(MAX_BYTES)
if MAX_CHARS >= 0:
    limit_output(MAX_CHARS)
"""
# the callbacks that show the startup code already ran in a kernel
INSTALLED = ("release_after_memory_error", "start_cell")

TRUNCATED = "\n... output truncated by the grader ...\n"


def parse_size(text):
    """'2G', '512M', '1.5g', '2147483648' -> bytes; '0' or '' -> 0 (no cap)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", str(text).lower())
    if not match:
        raise ValueError(f"expected a size such as 2G or 512M, got {text!r}")
    number, unit = match.groups()
    return int(float(number) * 1024 ** " kmgt".index(unit or " "))


def memory_limit(environ=None):
    """The memory cap for a grading kernel, in bytes (0: none)."""
    environ = os.environ if environ is None else environ
    return parse_size(environ.get(MEMORY_ENV, DEFAULT_MEMORY))


def cell_timeout(environ=None):
    """Seconds a cell may run while grading."""
    environ = os.environ if environ is None else environ
    return int(environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))


def kernel_startup_code(max_bytes, max_chars=MAX_OUTPUT_CHARS):
    """Python source the grading kernel runs before the notebook (see _KERNEL_STARTUP).

    max_bytes: memory cap (0: none); max_chars: text a cell may print (-1: no limit).
    """
    settings = {
        "MAX_BYTES": int(max_bytes),
        "MAX_CHARS": int(max_chars),
        "NOTICE": TRUNCATED,
        "RESERVE": 16 * 2**20,
        "MEMORY_NOTE": memory_note(max_bytes),
    }
    # Merged configs may pass the line twice: the second time it does nothing.
    callbacks = "get_ipython().events.callbacks"
    installed = (
        f"any(getattr(f, '__name__', '') in {INSTALLED!r} "
        f"for f in {callbacks}['pre_run_cell'] + {callbacks}['post_run_cell'])"
    )
    return (
        f"None if {installed} else "
        f"exec(compile({_KERNEL_STARTUP!r}, {os.path.abspath(__file__)!r}, 'exec'), "
        f"{{'get_ipython': get_ipython, **{settings!r}}})"
    )


def memory_note(max_bytes):
    """What a cell that ran out of memory prints for the student."""
    return (
        f"\nThe grader stopped this cell: it needed more than the {max_bytes / 2**30:g} GiB "
        "of memory a notebook may use while grading (MemoryError above). Look for a list or "
        "an array that keeps growing, or one far larger than the data.\n"
    )


def kernel_arguments(max_bytes, max_chars=MAX_OUTPUT_CHARS):
    """Extra command-line arguments for the grading kernel (Execute.extra_arguments).

    Only exec_lines, which a kernel accepts any number of times (merged configs may pass
    these twice; the startup code runs once). A single-valued option such as
    `--IPKernelApp.log_level` given twice stops the kernel from starting.
    """
    if not max_bytes and max_chars < 0:
        return []
    return [f"--IPKernelApp.exec_lines={kernel_startup_code(max_bytes, max_chars)}"]


def timeout_error(timeout):
    """The error a cell that ran out of time shows (Execute.error_on_timeout)."""
    message = (
        f"This cell was stopped after {timeout} s. Grading gives each cell {timeout} s: "
        "look for a loop that never ends (a `while` whose condition never becomes False) "
        "or work that grows much faster than the input."
    )
    return {
        "ename": "CellTimeoutError",
        "evalue": message,
        "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: {message}"],
    }


class LimitOutputSize(Preprocessor):
    """Truncate each code cell's text output to `max_chars` characters, and its other
    displayed data (images, JSON...) to `max_data` bytes.

    Complements nbgrader's LimitOutput, which counts lines: a single 50 MB line passes it.
    Applies to stream text, the text of rich outputs and error messages and tracebacks.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)
    max_chars = Integer(
        MAX_OUTPUT_CHARS, help="maximum characters of text output per cell (-1: no limit)"
    ).tag(config=True)
    max_data = Integer(
        MAX_OUTPUT_DATA, help="maximum bytes of images and other displayed data per cell"
    ).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self.max_chars < 0:
            return cell, resources
        # errors have a budget of their own: what was printed must not hide why a test failed
        budget, errors, data = self.max_chars, self.max_chars, self.max_data
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text, budget = _truncate(output.text, budget)
            elif output.output_type == "error":
                output.evalue, errors = _truncate(output.evalue, errors)
                kept = []
                for line in output.traceback:
                    line, errors = _truncate(line, errors)
                    kept.append(line)
                    if errors <= 0:
                        break
                output.traceback = kept
            elif "data" in output:
                for mime, value in list(output.data.items()):
                    if mime.startswith("text/") and isinstance(value, str):
                        output.data[mime], budget = _truncate(value, budget)
                    else:
                        size = len(value) if isinstance(value, str) else len(str(value))
                        data -= size
                        if data < 0:
                            del output.data[mime]
                            output.data["text/plain"] = DATA_DROPPED.format(
                                mime, size, self.max_data
                            )
        return cell, resources


def _truncate(text, budget):
    if budget <= 0:
        return ("" if not text else TRUNCATED.strip()), 0
    if len(text) <= budget:
        return text, budget - len(text)
    return text[:budget] + TRUNCATED, 0


# nbgrader's notice on a test cell it put back (OverwriteCells.add_missing_cells), which it
# writes as a comment at the top of the cell's source.
MISSING_CELL_NOTICE = (
    "This cell (id:{cell_id}) was missing from the submission. It was added back by nbgrader.\n\n"
)
RESTORED_NOTE = (
    "**Test cell `{cell_id}` was missing from your notebook.** The grader put it back below "
    "and graded it as if it had been there."
)


class RestoreMissingCells(Preprocessor):
    """Sanitize step after OverwriteCells: a test cell nbgrader put back keeps its source.

    nbgrader puts a deleted test cell back with its notice as a first comment line, which the
    feedback would show as code; the notice moves to a markdown cell above it instead.
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess(self, nb, resources):
        import nbformat

        cells = []
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            prefix = "# " + MISSING_CELL_NOTICE.format(cell_id=grade_id)
            if grade_id and cell.cell_type == "code" and cell.source.startswith(prefix):
                cell.source = cell.source[len(prefix) :]
                cells.append(nbformat.v4.new_markdown_cell(RESTORED_NOTE.format(cell_id=grade_id)))
            cells.append(cell)
        nb.cells = cells
        return nb, resources


def sanitize_preprocessors(current):
    """nbgrader's sanitize preprocessors `current` with RestoreMissingCells after OverwriteCells."""
    names = [getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in current]
    if "RestoreMissingCells" in names or "OverwriteCells" not in names:
        return list(current)
    position = names.index("OverwriteCells") + 1
    return [*current[:position], RestoreMissingCells, *current[position:]]


def autograde_preprocessors(current):
    """nbgrader's autograde preprocessors `current` with LimitOutputSize after LimitOutput."""
    names = [getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in current]
    if "LimitOutputSize" in names:
        return list(current)
    after = "LimitOutput" if "LimitOutput" in names else "Execute"
    position = names.index(after) + 1
    return [*current[:position], LimitOutputSize, *current[position:]]


def configure(c, environ=None):
    """Apply every limit above to an nbgrader (traitlets) Config `c`; returns `c`.

    Adds to what `c` already holds: other kernel arguments (Execute.extra_arguments) and
    preprocessors are kept, and applying it twice changes nothing. The lists are set whole,
    so configure the config that holds the course's settings (nbgrader_config.py calls this;
    for an initialised app, `configure_app`), never a fresh Config() merged into an app
    later: that would replace the lists nbgrader_config.py built.
    """
    from nbgrader.converters.autograde import Autograde

    timeout = cell_timeout(environ)
    c.Execute.timeout = timeout
    c.Execute.error_on_timeout = timeout_error(timeout)
    # a plain list, not .extend(): nbgrader loads nbgrader_config.py twice (from the course
    # root and the working directory) and merges lazy extensions, which would then start
    # everything twice in each kernel
    ours = kernel_arguments(memory_limit(environ))
    kept = [a for a in _current(c.Execute, "extra_arguments", []) if MARK not in a]
    c.Execute.extra_arguments = [a for a in kept if a not in ours] + ours
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.LimitOutput.max_lines = 1000
    c.LimitOutput.max_traceback = 100
    c.LimitOutputSize.max_chars = MAX_OUTPUT_CHARS
    c.Autograde.autograde_preprocessors = autograde_preprocessors(
        _current(
            c.Autograde, "autograde_preprocessors", Autograde.autograde_preprocessors.default()
        )
    )
    # A test cell a student deleted comes back from the gradebook and is graded as if present.
    c.OverwriteCells.add_missing_cells = True
    c.OverwriteCells.missing_cell_notification = MISSING_CELL_NOTICE
    c.Autograde.sanitize_preprocessors = sanitize_preprocessors(
        _current(c.Autograde, "sanitize_preprocessors", Autograde.sanitize_preprocessors.default())
    )
    return c


def configure_app(app, environ=None):
    """`configure` an initialised nbgrader app (its config includes nbgrader_config.py's)."""
    import copy

    app.update_config(configure(copy.deepcopy(app.config), environ))
    return app


def _current(section, name, default):
    """A list setting of a Config section as it stands (default when unset)."""
    from traitlets.config.loader import LazyConfigValue

    if name not in section:
        return list(default)
    value = section[name]
    if isinstance(value, LazyConfigValue):
        return list(value.get_value(list(default)))
    return list(value)
