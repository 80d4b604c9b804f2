// The one doctest main shared by every test program. CTest runs each test case by name
// (`--test-case=NAME`); a name doctest cannot match (CMake splits names at ';', so such a test
// case once passed under CTest by running nothing) must fail, not pass, so a filter that
// selects no test case is an error here.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstring>
#include <iostream>

namespace {

unsigned g_selected = 0;  // test cases that passed the filters, from the last run

struct SelectionCounter : doctest::IReporter {
  explicit SelectionCounter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    g_selected = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("selection_counter", 1, SelectionCounter);

// doctest's filter options, also in their "--dt-" prefixed forms.
bool names_test_cases(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    for (const char* option : {"--test-case=", "-tc=", "--dt-test-case=", "--dt-tc="}) {
      if (std::strncmp(argv[i], option, std::strlen(option)) == 0) return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit() || result != 0) return result;  // --help, --list-..., failures
  if (names_test_cases(argc, argv) && g_selected == 0) {
    std::cerr << "takt tests: the --test-case filter selects no test case (a ';' in a test "
                 "case's name splits it under CTest): nothing was tested\n";
    return 1;
  }
  return 0;
}
