"""autograder/mutant.py: mutants written as edits of the solution or as real functions."""

import nbformat
import numpy as np
import pytest

from autograder.mutant import Catalogue

SOLUTION = (
    'def square(x):\n    """x: any shape -> same shape."""\n'
    "    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION\n"
)


def one_cell_chapter(root, chapter, grade_id, solution):
    """A Catalogue for source/<chapter> under `root`, whose notebook is one solution cell."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(solution)
    cell.id = grade_id
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": True, "grade": False}
    nb.cells.append(cell)
    (root / "source" / chapter).mkdir(parents=True)
    nbformat.write(nb, root / "source" / chapter / f"{chapter}.ipynb")
    return Catalogue(f"autograder.chapters.{chapter.split('_', 1)[1]}.mutants", root=root)


@pytest.fixture
def catalogue(tmp_path):
    return one_cell_chapter(tmp_path, "07_toy", "square", SOLUTION)


def test_an_edit_replaces_text_that_occurs_once_in_the_cell_a_student_types(catalogue):
    catalogue.edit("square", "doubled", ("x * x", "x + x"), diagnosis="twice", mistake="double")
    spec = catalogue.MUTANTS["square"]["doubled"]
    # the solution markers are the source notebook's, never a student's
    typed = 'def square(x):\n    """x: any shape -> same shape."""\n    return x + x\n'
    assert spec["code"] == typed
    assert (spec["diagnosis"], spec["mistake"]) == ("twice", "double")


@pytest.mark.parametrize("old", ["x ** 2", "x"])
def test_an_edit_whose_text_is_missing_or_repeated_is_refused(catalogue, old):
    with pytest.raises(ValueError, match="not once"):
        catalogue.edit("square", "bad", (old, "y"), diagnosis="d")


def test_a_decorated_function_becomes_the_exercise_without_its_decorator(catalogue):
    @catalogue.mutant("square", diagnosis="cube")
    def cubed(x):
        return x * x * x

    @catalogue.correct("square")
    def power(x):
        return x**2

    code = catalogue.MUTANTS["square"]["cubed"]["code"]
    assert code == "def square(x):\n    return x * x * x\n"
    namespace = {}
    exec(catalogue.CORRECT["square"]["power"], namespace)
    assert namespace["square"](3) == 9 and cubed(2) == 8  # still a real function here


def test_a_mutant_needs_a_diagnosis_and_a_name_of_its_own(catalogue):
    with pytest.raises(ValueError, match="diagnosis"):
        catalogue.edit("square", "no_diagnosis", ("x * x", "x"))
    catalogue.edit("square", "same", ("x * x", "x"), diagnosis="d")
    with pytest.raises(ValueError, match="twice"):
        catalogue.edit("square", "same", ("x * x", "x"), diagnosis="d")


def test_a_decorated_variant_can_take_a_name_its_function_cannot_have(catalogue):
    """Two exercises of a chapter may each have a variant "matmul"; one module has one
    function of a name."""

    @catalogue.correct("square", name="power")
    def square_power(x):
        return x**2

    @catalogue.mutant("square", name="cube", diagnosis="cube")
    def square_cube(x):
        return x**3

    assert catalogue.CORRECT["square"] == {"power": "def square(x):\n    return x**2\n"}
    assert list(catalogue.MUTANTS["square"]) == ["cube"]
    with pytest.raises(ValueError, match="twice"):
        catalogue.correct("square", name="power")(square_power)


LAYER = '''class Layer:
    """Given code around the student's method."""

    def forward(self, inputs):
        self.inputs = inputs

    def backward(self, dvalues):
        """The student's part."""
        ### BEGIN SOLUTION
        self.dinputs = dvalues * 2
        ### END SOLUTION
'''


@pytest.fixture
def class_catalogue(tmp_path):
    return one_cell_chapter(tmp_path, "08_layer", "layer", LAYER)


def test_a_function_for_a_class_is_the_body_of_its_solution_method(class_catalogue):
    @class_catalogue.mutant("layer", diagnosis="summed")
    def summed(self, dvalues):
        # the comment goes along
        total = dvalues.sum()
        self.dinputs = total

    code = class_catalogue.MUTANTS["layer"]["summed"]["code"]
    assert code == LAYER.replace(
        "        ### BEGIN SOLUTION\n        self.dinputs = dvalues * 2\n        ### END SOLUTION\n",
        "        # the comment goes along\n        total = dvalues.sum()\n"
        "        self.dinputs = total\n",
    )
    namespace = {}
    exec(code, namespace)
    layer = namespace["Layer"]()
    layer.backward(np.array([1.0, 2.0]))
    assert layer.dinputs == 3.0


def test_a_function_for_a_class_must_take_the_methods_parameters(class_catalogue):
    with pytest.raises(ValueError, match="parameters"):

        @class_catalogue.correct("layer")
        def no_self(dvalues):
            return dvalues


def test_a_correct_edit_is_the_edited_cell_checked_as_a_mutant_is(catalogue):
    """Another right solution that differs from the solution in a line, with no copy of it."""
    catalogue.correct_edit("square", "power", ("x * x", "x**2"))
    typed = 'def square(x):\n    """x: any shape -> same shape."""\n    return x**2\n'
    assert catalogue.CORRECT["square"]["power"] == typed
    with pytest.raises(ValueError, match="not once"):
        catalogue.correct_edit("square", "missing", ("x ** 3", "x"))
    with pytest.raises(ValueError, match="twice"):
        catalogue.correct_edit("square", "power", ("x * x", "x**2"))
