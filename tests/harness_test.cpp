// The suite-wide secret check of test_support can fail: a planted value in the tool's output
// or in a case file (outside the evidence of artifacts/) is a test failure.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace lir {
namespace {

TEST(Harness, APlantedSecretInTheToolsOutputIsAFailure) {
  EXPECT_NONFATAL_FAILURE(test::ExpectNoPlantedSecret("the stdout of lambda-ir collect", "DB_PASSWORD=hunter2\n"),
                          "the stdout of lambda-ir collect holds the planted secret hunter2");
  EXPECT_NONFATAL_FAILURE(test::RunTool({"analyze", "planted-secret-key-7Qm2"}),
                          "the stdout of lambda-ir analyze holds the planted secret planted-secret-key-7Qm2");
  // The user asked: not a failure.
  test::RunTool({"analyze", "planted-secret-key-7Qm2", "--reveal-secrets"});
}

TEST(Harness, APlantedSecretInACaseFileIsAFailureButNotInItsEvidence) {
  EXPECT_NONFATAL_FAILURE(
      {
        test::TempDir dir;
        test::WriteFile(dir.File("case/custody.log"), "{}\n");
        test::WriteFile(dir.File("case/artifacts/lambda/f/function.json"), R"({"DB_PASSWORD":"hunter2"})");
        test::WriteFile(dir.File("case/reports/analysis.md"), "password hunter2\n");
      },
      "case/reports/analysis.md holds the planted secret hunter2");
  test::TempDir evidence_only;
  test::WriteFile(evidence_only.File("case/custody.log"), "{}\n");
  test::WriteFile(evidence_only.File("case/artifacts/lambda/f/function.json"), R"({"DB_PASSWORD":"hunter2"})");
}

}  // namespace
}  // namespace lir
