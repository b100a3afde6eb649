"""A component class registered wrongly fails to compile with one sentence
naming the mistake (the SDK's static_asserts), not with an error inside
the SDK's adapters; a correct one compiles. Usage:
    registration_test.py CXX SDK_INCLUDE_DIR"""
import os
import subprocess
import sys
import tempfile
import unittest

CXX, SDK_INCLUDE = sys.argv[1], sys.argv[2]

CORRECT_RULE = """
class Good final : public vigil::sdk::Rule {
 public:
  explicit Good(const vigil::sdk::CreateArgs&) {}
  void attach(const vigil::sdk::Position&, const vigil::sdk::Actions&) override {}
  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger&, const vigil::sdk::Actions&) override {}
};
VIGIL_PLUGIN("good", "1.0.0", "compiles", vigil::sdk::rule<Good>())
"""


def compile_snippet(body):
    with tempfile.TemporaryDirectory() as d:
        source = os.path.join(d, "plugin.cpp")
        with open(source, "w") as f:
            f.write('#include "vigil/sdk.hpp"\n' + body)
        result = subprocess.run([CXX, "-std=c++20", "-fsyntax-only", "-I", SDK_INCLUDE, source],
                                capture_output=True, text=True, timeout=120)
        return result.returncode, result.stderr


class Registration(unittest.TestCase):
    def refused(self, body, sentence):
        code, errors = compile_snippet(body)
        self.assertNotEqual(code, 0, "compiled, but should not have")
        lines = [line for line in errors.splitlines() if " error: " in line]
        self.assertEqual(len(lines), 1, errors[-3000:])
        self.assertIn("static assertion failed: " + sentence, lines[0])

    def test_a_correct_rule_compiles(self):
        code, errors = compile_snippet(CORRECT_RULE)
        self.assertEqual(code, 0, errors[-3000:])

    def test_a_class_of_another_kind_is_refused_naming_the_base_classes(self):
        self.refused(CORRECT_RULE.replace("rule<Good>", "feed<Good>"),
                     "the component class must derive from the base class of its kind")

    def test_a_class_without_the_create_args_constructor_is_refused(self):
        self.refused(CORRECT_RULE.replace("explicit Good(const vigil::sdk::CreateArgs&) {}", "Good() = default;"),
                     "the component class must be constructible from const vigil::sdk::CreateArgs&")

    def test_a_rule_missing_a_callback_is_refused(self):
        body = CORRECT_RULE.replace(
            "  void on_trigger(const vigil::sdk::Position&, const vigil::sdk::Trigger&, const vigil::sdk::Actions&) "
            "override {}\n", "").replace("class Good final", "class Good")
        self.refused(body, "the component class must override every pure virtual function")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
