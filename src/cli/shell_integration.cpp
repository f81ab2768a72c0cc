#include "cli/shell_integration.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/strings.h"

namespace lir {
namespace {

struct OptionInfo {
  std::vector<std::string> names;  // "-f", "--format"
  std::string description;
  bool takes_value = false;
  std::vector<std::string> choices;
};

struct CommandInfo {
  std::vector<std::string> path;  // {"rules", "list"}; empty for lambda-ir itself
  std::string description;
  std::string footer;
  std::vector<std::string> subcommands;
  std::vector<OptionInfo> options;
  std::vector<std::string> positionals;  // their names, for the synopsis
};

std::vector<const CLI::App*> Subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty() && !sub->get_disabled(); });
}

void Collect(const CLI::App& app, const std::vector<std::string>& path, std::vector<CommandInfo>* out) {
  CommandInfo info;
  info.path = path;
  info.description = app.get_description();
  info.footer = app.get_footer();
  for (const CLI::App* sub : Subcommands(app)) info.subcommands.push_back(sub->get_name());
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional()) {
      info.positionals.push_back(opt->get_name());
      continue;
    }
    OptionInfo o;
    for (const auto& s : opt->get_snames()) o.names.push_back("-" + s);
    for (const auto& l : opt->get_lnames()) o.names.push_back("--" + l);
    o.description = opt->get_description();
    o.takes_value = opt->get_expected_max() > 0;  // CLI11 makes every flag expect(0)
    o.choices = ChoicesOf(opt);
    info.options.push_back(std::move(o));
  }
  out->push_back(std::move(info));
  for (const CLI::App* sub : Subcommands(app)) {
    std::vector<std::string> sub_path = path;
    sub_path.push_back(sub->get_name());
    Collect(*sub, sub_path, out);
  }
}

std::vector<CommandInfo> Commands(const CLI::App& app) {
  std::vector<CommandInfo> out;
  Collect(app, {}, &out);
  return out;
}

std::string Join(const std::vector<std::string>& words, std::string_view sep = " ") {
  return fmt::format("{}", fmt::join(words, sep));
}

// Filled while the command line is defined, before any parse; read by the generators.
std::map<const void*, std::vector<std::string>>& ChoiceRegistry() {
  static std::map<const void*, std::vector<std::string>> registry;
  return registry;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// roff text: backslashes escaped, a line starting with a control character neutralised.
std::string Roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    line_start = c == '\n';
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RoffOption(std::string_view name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::string FishQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "'";
}

// The first clause, for a one-line description: up to ": ", "; ", ". " or a line's end
// ("L001..L015" and "(.json, .json.gz)" are not ends).
std::string Brief(std::string_view text) {
  size_t end = text.find('\n');
  for (std::string_view stop : {": ", "; ", ". "}) end = std::min(end, text.find(stop));
  return std::string(Trim(text.substr(0, end)));
}

}  // namespace

void RegisterChoices(const void* option, std::vector<std::string> choices) { ChoiceRegistry()[option] = std::move(choices); }

std::vector<std::string> ChoicesOf(const void* option) {
  auto it = ChoiceRegistry().find(option);
  return it == ChoiceRegistry().end() ? std::vector<std::string>{} : it->second;
}

// The table both shells read: for a command path ("rules list"), its subcommands and
// options; for an option of it, the values it takes. Plain POSIX case statements, which
// bash and zsh run alike.
static std::string CompletionTables(const CLI::App& app) {
  std::string words, values;
  for (const CommandInfo& c : Commands(app)) {
    std::vector<std::string> opts;
    for (const OptionInfo& o : c.options) {
      opts.insert(opts.end(), o.names.begin(), o.names.end());
      if (o.choices.empty()) continue;
      std::vector<std::string> cases;
      cases.reserve(o.names.size());
      for (const auto& n : o.names) cases.push_back(fmt::format("\"{}|{}\"", Join(c.path), n));
      values += fmt::format("    {}) vals=\"{}\" ;;\n", Join(cases, "|"), Join(o.choices));
    }
    words += fmt::format("    \"{}\") cmds=\"{}\"; opts=\"{}\" ;;\n", Join(c.path), Join(c.subcommands), Join(opts));
  }
  return fmt::format(
      "_lambda_ir_words() {{\n"
      "  cmds=\"\"; opts=\"\"\n"
      "  case \"$1\" in\n{}  esac\n}}\n"
      "_lambda_ir_values() {{\n"
      "  case \"$1|$2\" in\n{}    *) return 1 ;;\n  esac\n}}\n",
      words, values);
}

std::string BashCompletion(const CLI::App& app) {
  return "# bash completion for lambda-ir, generated by `lambda-ir completion bash` from its command definitions.\n"
         "# Load it with: source <(lambda-ir completion bash)\n" +
         CompletionTables(app) +
         "_lambda_ir() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmdpath=\"\" cmds opts vals w i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=${COMP_WORDS[i]}\n"
         "    _lambda_ir_words \"$cmdpath\"\n"
         "    if [[ \" $cmds \" == *\" $w \"* ]]; then cmdpath=${cmdpath:+$cmdpath }$w; fi\n"
         "  done\n"
         "  _lambda_ir_words \"$cmdpath\"\n"
         "  if [[ $prev == -* ]] && _lambda_ir_values \"$cmdpath\" \"$prev\"; then\n"
         "    COMPREPLY=($(compgen -W \"$vals\" -- \"$cur\"))\n"
         "  elif [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
         "  elif [[ -n $cmds ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$cmds\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -F _lambda_ir lambda-ir\n";
}

// A native zsh completion function: on $fpath as _lambda-ir it completes from the first Tab
// (the file's body is the function); sourced, it registers itself with compdef.
std::string ZshCompletion(const CLI::App& app) {
  return "#compdef lambda-ir\n"
         "# zsh completion for lambda-ir, generated by `lambda-ir completion zsh` from its command definitions.\n"
         "# Save it as _lambda-ir in a directory of $fpath, or load it with: source <(lambda-ir completion zsh)\n" +
         CompletionTables(app) +
         "_lambda-ir() {\n"
         "  local cur=${words[CURRENT]} prev=${words[CURRENT-1]} cmdpath=\"\" cmds opts vals w i\n"
         "  for ((i = 2; i < CURRENT; i++)); do\n"
         "    w=${words[i]}\n"
         "    _lambda_ir_words \"$cmdpath\"\n"
         "    if [[ \" $cmds \" == *\" $w \"* ]]; then cmdpath=${cmdpath:+$cmdpath }$w; fi\n"
         "  done\n"
         "  _lambda_ir_words \"$cmdpath\"\n"
         "  if [[ $prev == -* ]] && _lambda_ir_values \"$cmdpath\" \"$prev\"; then\n"
         "    compadd -- ${=vals}\n"
         "  elif [[ $cur == -* ]]; then\n"
         "    compadd -- ${=opts}\n"
         "  elif [[ -n $cmds ]]; then\n"
         "    compadd -- ${=cmds}\n"
         "  else\n"
         "    _files\n"
         "  fi\n"
         "}\n"
         "if [ \"$funcstack[1]\" = \"_lambda-ir\" ]; then\n"
         "  _lambda-ir \"$@\"\n"
         "else\n"
         "  compdef _lambda-ir lambda-ir\n"
         "fi\n";
}

std::string FishCompletion(const CLI::App& app) {
  const auto commands = Commands(app);
  std::string out =
      "# fish completion for lambda-ir, generated by `lambda-ir completion fish` from its command definitions.\n"
      "# Load it with: lambda-ir completion fish | source\n";
  auto seen = [](const std::vector<std::string>& path) {
    std::vector<std::string> parts;
    parts.reserve(path.size());
    for (const auto& p : path) parts.push_back("__fish_seen_subcommand_from " + p);
    return parts.empty() ? std::string("__fish_use_subcommand") : Join(parts, "; and ");
  };
  for (const CommandInfo& c : commands) {
    if (!c.subcommands.empty()) {
      std::string condition = seen(c.path);
      if (!c.path.empty()) condition += "; and not __fish_seen_subcommand_from " + Join(c.subcommands);
      for (const CommandInfo& sub : commands) {
        if (sub.path.size() != c.path.size() + 1 || !std::equal(c.path.begin(), c.path.end(), sub.path.begin())) continue;
        out += fmt::format("complete -c lambda-ir -f -n {} -a {} -d {}\n", FishQuote(condition), FishQuote(sub.path.back()),
                           FishQuote(Brief(sub.description)));
      }
    }
    std::string condition = seen(c.path);
    if (!c.subcommands.empty() && !c.path.empty()) condition += "; and not __fish_seen_subcommand_from " + Join(c.subcommands);
    for (const OptionInfo& o : c.options) {
      std::string line = fmt::format("complete -c lambda-ir -n {}", FishQuote(condition));
      for (const auto& n : o.names) line += n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1);
      if (o.takes_value) line += " -r";
      if (!o.choices.empty()) line += " -f -a " + FishQuote(Join(o.choices));
      out += line + " -d " + FishQuote(Brief(o.description)) + "\n";
    }
  }
  return out;
}

std::string ManPage(const CLI::App& app, std::string_view version, std::string_view exit_codes,
                    const std::vector<std::pair<std::string, std::string>>& formats) {
  const auto commands = Commands(app);
  std::string out = fmt::format(".TH LAMBDA\\-IR 1 \"\" \"lambda-ir {}\" \"User Commands\"\n", version);
  out += ".\\\" Generated by `lambda-ir man` from the command definitions; do not edit.\n";
  std::string about = app.get_description();
  if (about.rfind("lambda-ir: ", 0) == 0) about.erase(0, 11);
  out += ".SH NAME\nlambda\\-ir \\- " + Roff(about) + "\n";
  out += ".SH SYNOPSIS\n.B lambda\\-ir\n.I command\n.RI [ options ]\n.SH DESCRIPTION\n" + Roff(about) +
         " Each command below is also described by \\fBlambda\\-ir help\\fR \\fIcommand\\fR.\n";
  out += ".SH COMMANDS\n";
  for (const CommandInfo& c : commands) {
    if (c.path.empty()) continue;
    std::string heading = "lambda-ir " + Join(c.path);
    for (const auto& p : c.positionals) {
      std::string upper = p;
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return std::toupper(ch); });
      heading += " " + upper;
    }
    out += fmt::format(".SS \"{}\"\n{}\n", RoffOption(Roff(heading)), Roff(c.description));
    for (const OptionInfo& o : c.options) {
      if (std::find(o.names.begin(), o.names.end(), "--help") != o.names.end()) continue;
      std::vector<std::string> names;
      for (const auto& n : o.names) names.push_back("\\fB" + RoffOption(n) + "\\fR");
      out += fmt::format(".TP\n{}{}\n{}\n", Join(names, ", "), o.takes_value ? " \\fIVALUE\\fR" : "", Roff(o.description));
    }
    if (!c.footer.empty()) out += ".PP\n.nf\n" + Roff(c.footer) + "\n.fi\n";
  }
  out += ".SH REPORT FORMATS\nThe names \\fB\\-\\-format\\fR takes where a command writes findings:\n";
  for (const auto& [name, summary] : formats) out += fmt::format(".TP\n.B {}\n{}\n", RoffOption(name), Roff(summary));
  out += ".SH EXIT STATUS\n" + Roff(exit_codes) + "\n";
  out += ".SH SEE ALSO\n.BR aws (1)\n";
  return out;
}

std::optional<std::string> MistypedCommand(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* current = &app;
  std::string path = "lambda-ir";
  for (const std::string& word : args) {
    if (word.empty() || word[0] == '-') return std::nullopt;  // options may take values: stop here
    const auto subs = Subcommands(*current);
    auto named = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == word; });
    if (named != subs.end()) {
      current = *named;
      path += " " + word;
      continue;
    }
    if (subs.empty() || !current->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) {
      return std::nullopt;
    }
    const CLI::App* best = nullptr;
    size_t best_distance = SIZE_MAX;
    for (const CLI::App* s : subs) {
      const size_t d = EditDistance(word, s->get_name());
      if (d < best_distance) best = s, best_distance = d;
    }
    std::vector<std::string> names;
    names.reserve(subs.size());
    for (const CLI::App* s : subs) names.push_back(s->get_name());
    const std::string shown = SanitizeForTerminal(word);
    if (best != nullptr && best_distance <= std::max<size_t>(2, best->get_name().size() / 3)) {
      return fmt::format("'{}' is not a {} command; did you mean '{}'?\nCommands: {}", shown, path, best->get_name(),
                         Join(names, ", "));
    }
    return fmt::format("'{}' is not a {} command.\nCommands: {}", shown, path, Join(names, ", "));
  }
  return std::nullopt;
}

}  // namespace lir
