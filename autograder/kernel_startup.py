# backprop grading limits: the grader runs this file in each grading kernel (autograder/limits.py)
"""Grading limits inside the student's kernel, installed before any student code runs.

The sandboxed kernel sees no course files, so `limits.kernel_startup_code` passes this file's
text in `--IPKernelApp.exec_lines` and calls `install` with the settings. It runs in a
namespace of its own (nothing is left in the notebook's) and imports nothing from `autograder`.

- memory: RLIMIT_DATA caps the kernel's data, so a memory bomb raises MemoryError in its cell;
  the memory the failed cell's traceback holds is then freed, so later cells still run;
- output: what a cell prints beyond `max_chars` is dropped at the source (printing 50 MB then
  costs no time).
"""

import gc
import resource
import sys


def install(ip, max_bytes, max_chars, notice, reserve_bytes, memory_note):
    """Apply the limits to IPython shell `ip`: `max_bytes` of data (0: no cap), `max_chars`
    printed per cell (-1: no limit), followed by `notice` when cut; `reserve_bytes` kept aside
    to recover from a MemoryError in; `memory_note` printed after one."""
    if max_bytes:
        limit_memory(ip, max_bytes, reserve_bytes, memory_note)
    if max_chars >= 0:
        limit_output(ip, max_chars, notice)


def exceptions(error):
    """`error` and every exception chained to it (cause or context), each once."""
    seen, stack = [], [error]
    while stack:
        e = stack.pop()
        if e is not None and not any(e is s for s in seen):
            seen.append(e)
            stack += [e.__cause__, e.__context__]
    return seen


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
                frame.f_locals.clear()  # displaying the traceback made (frame.f_locals)
        tb = tb.tb_next


def limit_memory(ip, max_bytes, reserve_bytes, memory_note):
    # RLIMIT_DATA counts memory a process can write to (heap, anonymous mappings), not the
    # address space threads and libraries reserve: a 2 GB cap leaves 2 GB for the student.
    reserve = [None]

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
            sys.stdout.write(memory_note)
        try:
            reserve[0] = bytearray(reserve_bytes)
        except MemoryError:
            pass

    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    reserve[0] = bytearray(reserve_bytes)
    ip.events.register("post_run_cell", release_after_memory_error)


def limit_output(ip, max_chars, notice):
    # Drop what a cell prints beyond max_chars at the source: megabytes of output would
    # otherwise cross to nbgrader (about 10 MB/s) and count against the cell's time.
    left = [max_chars]

    def limited(write):
        def write_some(text):
            if left[0] < 0:  # over the limit, the notice already written
                return len(text)
            if len(text) > left[0]:
                write(text[: left[0]] + notice)
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
