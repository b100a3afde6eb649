"""mql5_to_cpp.py refuses every construct outside its subset, naming the
file and line, and translates examples/mql5 as it is."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TRANSLATOR = os.path.join(HERE, "mql5_to_cpp.py")
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "mql5")

PROLOGUE = "struct VigilThing\n  {\n   int n;\n  };\n"  # lines 1-4
REFUSED = {  # each with "// <-" on the line to be named
    "an unknown function": "void F(void)\n  {\n   Sleep(1); // <-\n  }\n",
    "a C++ library name": "void F(void)\n  {\n   int n = std::max(1, 2); // <-\n  }\n",
    "a fixed-size array": "void F(void)\n  {\n   uchar block[64]; // <-\n  }\n",
    "an array by value": "void F(uchar data[]) // <-\n  {\n  }\n",
    "a struct by value": "void F(VigilThing thing) // <-\n  {\n  }\n",
    "a pointer": "void F(void)\n  {\n   VigilThing *p = NULL; // <-\n  }\n",
    "the scope operator": "void F(void)\n  {\n   ::F(); // <-\n  }\n",
    "a #define": "#define N 3 // <-\nvoid F(void)\n  {\n  }\n",
    "another #include": "#include <Arrays\\ArrayObj.mqh> // <-\nvoid F(void)\n  {\n  }\n",
    "an unknown #property": "#property indicator_chart_window // <-\nvoid F(void)\n  {\n  }\n",
    "auto": "void F(void)\n  {\n   auto n = 1; // <-\n  }\n",
    "a number suffix": "void F(void)\n  {\n   long n = 1L; // <-\n  }\n",
    "an unknown member": "void F(VigilThing &thing)\n  {\n   thing.size = 1; // <-\n  }\n",
    "an unknown escape": "void F(void)\n  {\n   string s = \"\\x41\"; // <-\n  }\n",
}


def translate(source):
    with tempfile.TemporaryDirectory() as out:
        path = os.path.join(out, "Case.mqh")
        with open(path, "w") as f:
            f.write(source)
        run = subprocess.run([sys.executable, TRANSLATOR, out, path], capture_output=True, text=True)
        return run.returncode, run.stderr, path


class TranslatorTest(unittest.TestCase):
    def test_refuses_each_construct_outside_the_subset_naming_file_and_line(self):
        for what, body in REFUSED.items():
            with self.subTest(what):
                code, error, path = translate(PROLOGUE + body)
                self.assertEqual(code, 1, error)
                line = PROLOGUE.count("\n") + 1 + next(i for i, text in enumerate(body.split("\n")) if "// <-" in text)
                self.assertIn(f"{path}:{line}: ", error)

    def test_translates_the_examples_as_they_are(self):
        with tempfile.TemporaryDirectory() as out:
            run = subprocess.run([sys.executable, TRANSLATOR, out, os.path.join(EXAMPLES, "VigilClient.mqh"),
                                  os.path.join(EXAMPLES, "VigilExecutor.mq5")], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            with open(os.path.join(out, "VigilExecutor.mq5.hpp")) as f:
                text = f.read()
            self.assertIn('#include "VigilClient.mqh.hpp"', text)
            self.assertNotIn("input ", text)
            self.assertIn("mql_array<VigilPosition> positions;", text)


if __name__ == "__main__":
    unittest.main()
