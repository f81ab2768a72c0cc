// The terminal sanitiser: what an attacker writes into an event field, a package name or a
// log line must reach the terminal as text, never as a control sequence or a reordering.
#include <gtest/gtest.h>

#include "core/strings.h"

namespace lir {
namespace {

TEST(Strings, TerminalSanitiserStripsC0C1AndBidiControls) {
  EXPECT_EQ(SanitizeForTerminal("\x1b[31mred\x07"), "?[31mred?");
  EXPECT_EQ(SanitizeForTerminal("a\xc2\x9b" "31mb"), "a?31mb");  // U+009B, CSI in UTF-8
  EXPECT_EQ(SanitizeForTerminal("a\x9b" "31mb"), "a?31mb");      // a lone 0x9B byte
  EXPECT_EQ(SanitizeForTerminal("evil\xe2\x80\xae" "fdp.exe"), "evil?fdp.exe");  // U+202E right-to-left override
  EXPECT_EQ(SanitizeForTerminal("\xe2\x81\xa6x\xe2\x81\xa9"), "?x?");              // U+2066 / U+2069 isolates
  EXPECT_EQ(SanitizeForTerminal("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91"), "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91");
  EXPECT_EQ(SanitizeForTerminal("\xff\xc0\x80\xed\xa0\x80"), "??????");  // invalid, overlong, surrogate
}

// For CSV cells and HTML: values keep their lines, a lone CR (which would overwrite the line)
// and the rest do not.
TEST(Strings, DocumentSanitiserKeepsLinesOnly) {
  EXPECT_EQ(SanitizeKeepingLines("a\tb\nc\r\nd"), "a\tb\nc\r\nd");
  EXPECT_EQ(SanitizeKeepingLines("fn\rSPOOF\xc2\x9b" "31m\xe2\x80\xae!\xff\r"),
            "fn\xEF\xBF\xBDSPOOF\xEF\xBF\xBD" "31m\xEF\xBF\xBD!\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace lir
