// The options of the server commands (`strata serve | leader | compute | spectrum`) in one table:
// each option's argument, default, roles and help. They are read from a configuration file
// (`--config FILE`, PostgreSQL's `name = value` lines, `-` or `_` in names) and then the command
// line, which overrides it. Every value remembers where it came from ("default", "configuration
// file" with its file and line, "command line"): `strata ROLE --help` prints the table, and the
// leader's SHOW / SHOW ALL / pg_settings list the process's options as PostgreSQL lists its
// server settings (context postmaster; SET on one is 55P02).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

// Which commands take an option (a bit mask).
enum ServerRole : int { kRoleServe = 1, kRoleLeader = 2, kRoleCompute = 4, kRoleSpectrum = 8 };

struct OptionDef {
  const char* name;     // as on the command line, without "--"
  const char* arg;      // the value's placeholder; nullptr for a flag without a value
  const char* def;      // the default as shown (and parsed); "" when there is none
  int roles;            // ServerRole bits
  const char* help;
  bool repeatable = false;  // may be given several times (values kept in order)
  bool secret = false;      // shown as ******** (a password)
};

// One option's value and where it came from.
struct OptionValue {
  std::string name;    // the option's name with '_' for '-' (as SHOW knows it)
  std::string value;
  std::string source;  // default | configuration file | command line
  std::string file;    // the configuration file, for source "configuration file"
  int line = 0;
  const OptionDef* def = nullptr;
};

class ServerOptions {
 public:
  // Reads `--config FILE` (when given) and then the arguments after the command. False with
  // *error set for an unknown option, a missing value, or a bad line in the file. --help sets
  // help() and stops there.
  bool Parse(const std::string& command, int argc, char** argv, std::string* error);

  bool help() const { return help_; }
  bool Given(const std::string& name) const;  // set in the file or on the command line
  std::string Str(const std::string& name) const;
  // The value as an integer; *error set (and 0) when it is not one.
  int64_t Int(const std::string& name, std::string* error) const;
  std::vector<std::string> List(const std::string& name) const;  // a repeatable option's values
  // Every option the command takes, the defaults included, in the table's order.
  const std::vector<OptionValue>& values() const { return values_; }

 private:
  bool Set(const std::string& name, const std::string& value, const std::string& source, const std::string& file,
           int line, std::string* error);
  bool ReadFile(const std::string& path, std::string* error);
  OptionValue* Find(const std::string& name);
  const OptionValue* Find(const std::string& name) const;

  int role_ = 0;
  bool help_ = false;
  std::vector<OptionValue> values_;
};

const std::vector<OptionDef>& ServerOptionDefs();
// The role bit of a command; 0 when it is not a server command.
int ServerRoleOf(const std::string& command);
// `strata COMMAND --help`: every option of the command with its default.
std::string ServerHelp(const std::string& command);
// `strata --help`.
std::string TopLevelHelp();
// `strata --version`: version, commit, build type.
std::string VersionText();

// The running process's options (set once at start, read by SHOW and pg_settings).
void SetProcessOptions(std::vector<OptionValue> values);
const std::vector<OptionValue>& ProcessOptions();
// The option SHOW knows as `name` (lower case, '_'), or nullptr.
const OptionValue* FindProcessOption(const std::string& name);
// How SHOW prints a value (a secret's as ********).
std::string ShownValue(const OptionValue& v);

}  // namespace strata
