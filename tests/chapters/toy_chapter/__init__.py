"""Chapter 7, toy: a throwaway chapter (one exercise, the squared error) that
tests/chapters/test_adding_a_chapter.py adds to a copy of the course as autograder/chapters/toy/."""
