// The tool in a shell: usage lines, a mistyped command, `help`, completion scripts loaded by
// the shells themselves, the man page rendered by man, and --output as --format's synonym.
#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace lir {
namespace {

using test::RunCommand;
using test::RunTool;

const std::string kSample = test::SourceDir() + "/examples/incident";

bool Installed(const std::string& program) { return RunCommand({"sh", "-c", "command -v " + program}).exit_code == 0; }

TEST(CliShell, UsageLinesNameTheToolNotItsPath) {
  const auto r = RunTool({"rules", "list", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: lambda-ir rules list [OPTIONS]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(test::BinaryPath()), std::string::npos);
}

TEST(CliShell, AMistypedCommandGetsTheNearestOne) {
  auto r = RunTool({"anlyze", kSample});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("lambda-ir: 'anlyze' is not a lambda-ir command; did you mean 'analyze'?\nCommands: analyze, rules,", 0),
            0u)
      << r.err;
  r = RunTool({"rules", "lsit"});
  EXPECT_EQ(r.err, "lambda-ir: 'lsit' is not a lambda-ir rules command; did you mean 'list'?\nCommands: list, lint, eval, test, sql\n");
  r = RunTool({"quarantine"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  // A path where one is expected is not a command.
  EXPECT_EQ(RunTool({"analyze", "/nonexistent/anlyze"}).exit_code, 3);
}

TEST(CliShell, HelpCommandShowsTheCommandsHelp) {
  const auto r = RunTool({"help", "rules", "list"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, RunTool({"rules", "list", "--help"}).out);
  const auto bad = RunTool({"help", "contian"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("did you mean 'contain'?"), std::string::npos) << bad.err;
}

// Every command a responder runs ends its help with examples of itself.
TEST(CliShell, EveryCommandsHelpEndsWithItsExamples) {
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"analyze"}, {"rules", "list"}, {"rules", "lint"}, {"rules", "eval"},
                                             {"rules", "test"}, {"whoami"}, {"verify"}, {"collect"}, {"investigate"},
                                             {"contain"}, {"eradicate"}, {"recover"}, {"status"}, {"monitor", "list"},
                                             {"monitor", "cleanup"}, {"audit"}, {"harden"}, {"permissions"},
                                             {"completion"}, {"man"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    const auto r = RunTool(args);
    std::string joined;
    for (const auto& c : command) joined += (joined.empty() ? "" : " ") + c;
    const size_t examples = r.out.rfind("\nExamples:\n");
    ASSERT_NE(examples, std::string::npos) << joined;
    size_t count = 0;
    for (size_t at = r.out.find("\n  ", examples); at != std::string::npos; at = r.out.find("\n  ", at + 1)) {
      const std::string line = r.out.substr(at + 3, r.out.find('\n', at + 1) - at - 3);
      if (line.rfind("lambda-ir " + joined, 0) == 0 || line.find("lambda-ir " + joined) != std::string::npos) ++count;
    }
    EXPECT_GE(count, 2u) << joined << "\n" << r.out.substr(examples);
  }
}

TEST(CliShell, BashLoadsTheCompletionAndCompletesCommandsOptionsAndFormats) {
  test::TempDir dir;
  test::WriteFile(dir.File("lambda-ir.bash"), RunTool({"completion", "bash"}).out);
  const std::string script = "source " + dir.File("lambda-ir.bash") +
                             "\ncomplete -p lambda-ir\n"
                             "show() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _lambda_ir; echo \"${COMPREPLY[*]}\"; }\n"
                             "show lambda-ir an\nshow lambda-ir rules l\nshow lambda-ir analyze --for\n"
                             "show lambda-ir analyze -f ''\nshow lambda-ir whoami --format t\n";
  const auto r = RunCommand({"bash", "--norc", "-c", script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "complete -o filenames -F _lambda_ir lambda-ir\n"
            "analyze\n"
            "list lint\n"
            "--format --force\n"
            "text json md html sarif csv timeline-jsonl asff ocsf\n"
            "table text\n");
}

TEST(CliShell, ZshAndFishLoadTheirCompletions) {
  if (Installed("zsh")) {
    test::TempDir dir;
    test::WriteFile(dir.File("_lambda-ir"), RunTool({"completion", "zsh"}).out);
    // compadd and _files only run inside a completion widget: stand-ins print what they get.
    const std::string stand_ins =
        "compadd() { while [[ $1 != -- ]]; do shift; done; shift; echo \"$*\"; }; _files() { echo FILES; }; ";
    // Sourced: it registers itself.
    auto r = RunCommand({"zsh", "-f", "-c", "autoload -U compinit && compinit -u; source " + dir.File("_lambda-ir") +
                                                "; echo ${_comps[lambda-ir]}; " + stand_ins +
                                                "words=(lambda-ir rules l); CURRENT=3; _lambda-ir; "
                                                "words=(lambda-ir analyze -f ''); CURRENT=4; _lambda-ir; "
                                                "words=(lambda-ir analyze ./AWSLogs); CURRENT=3; _lambda-ir"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "_lambda-ir\nlist lint eval test sql\ntext json md html sarif csv timeline-jsonl asff ocsf\nFILES\n") << r.err;
    // On $fpath, as an installed file is: the first completion already completes.
    r = RunCommand({"zsh", "-f", "-c", "fpath=(" + dir.path() + " $fpath); autoload -U compinit && compinit -u; " + stand_ins +
                                           "echo ${_comps[lambda-ir]}; words=(lambda-ir an); CURRENT=2; _lambda-ir"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "_lambda-ir\nanalyze rules whoami verify collect investigate contain eradicate recover status monitor audit "
                     "harden permissions help completion man\n")
        << r.err;
  }
  if (Installed("fish")) {
    test::TempDir dir;
    test::WriteFile(dir.File("lambda-ir.fish"), RunTool({"completion", "fish"}).out);
    const auto r = RunCommand({"fish", "--no-config", "-c",
                               "source " + dir.File("lambda-ir.fish") +
                                   "; complete -C'lambda-ir anal'; complete -C'lambda-ir analyze --form'; complete -C'lambda-ir rules li'"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "analyze\tAnalyse CloudTrail evidence offline\n"
              "--format\ttext, json, md, html, sarif, csv, timeline-jsonl, asff, ocsf\n"
              "lint\tCheck rules against the schema (stable lint ids L001..L015\n"
              "list\tShow every loaded rule and where it comes from (lambda-ir or sigma)\n");
  }
}

TEST(CliShell, TheManPageRendersWithoutWarnings) {
  test::TempDir dir;
  test::WriteFile(dir.File("lambda-ir.1"), RunTool({"man"}).out);
  const auto r = test::RunWithEnv({"man", "--warnings", "-l", dir.File("lambda-ir.1")}, {{"MANWIDTH", "80"}});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("NAME\n       lambda-ir  -  AWS Lambda incident response"), std::string::npos) << r.out.substr(0, 400);
  EXPECT_NE(r.out.find("lambda-ir rules list"), std::string::npos);
  EXPECT_NE(r.out.find("EXIT STATUS"), std::string::npos);
}

TEST(CliShell, OutputIsTheSynonymOfFormat) {
  auto json = [](const std::vector<std::string>& args) {
    auto doc = nlohmann::json::parse(RunTool(args).out);
    doc.erase("generated_at");
    return doc;
  };
  EXPECT_EQ(json({"analyze", kSample, "--output", "json"}), json({"analyze", kSample, "--format", "json"}));
  EXPECT_EQ(RunTool({"analyze", kSample, "--output", "table"}).out, RunTool({"analyze", kSample, "--format", "text"}).out);
  EXPECT_EQ(RunTool({"analyze", kSample, "-f", "terminal"}).out, RunTool({"analyze", kSample}).out);
  const auto both = RunTool({"analyze", kSample, "--format", "json", "--output", "text"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--output: 'text' contradicts --format json"), std::string::npos) << both.err;
  const auto bad = RunTool({"analyze", kSample, "--format", "html5"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("'html5' is not one of text, json, md, html, sarif, csv, timeline-jsonl, asff, ocsf"), std::string::npos) << bad.err;
}

// Secrets never go into the formats made to be uploaded (code scanning, Security Hub).
TEST(CliShell, RevealedSecretsAreRefusedInUploadFormats) {
  for (const char* format : {"sarif", "asff", "ocsf"}) {
    const auto r = RunTool({"analyze", kSample, "--format", format, "--reveal-secrets"});
    EXPECT_EQ(r.exit_code, 2) << format;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(std::string("--reveal-secrets: not with --format ") + format), std::string::npos) << r.err;
  }
  // investigate refuses before it collects (the endpoint is never reached).
  const auto ocsf = RunTool({"investigate", "payments", "--format", "ocsf", "--reveal-secrets", "--endpoint-url", "http://127.0.0.1:9"});
  EXPECT_EQ(ocsf.exit_code, 2);
  EXPECT_EQ(ocsf.err, "lambda-ir: --reveal-secrets: not with --format ocsf, a format made to be uploaded; use json, md or html\n");
  EXPECT_EQ(ocsf.out, "");
  const auto r = RunTool({"investigate", "payments", "--to-security-hub", "--reveal-secrets", "--endpoint-url", "http://127.0.0.1:9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "lambda-ir: --reveal-secrets: not with --to-security-hub (the values would leave this machine)\n");
  EXPECT_EQ(RunTool({"analyze", kSample, "--format", "html", "--reveal-secrets", "--out", "/dev/null"}).exit_code, 0);
}

}  // namespace
}  // namespace lir
