// A small libFuzzer-compatible driver for `make test`: it links with one target's
// LLVMFuzzerTestOneInput and needs no clang. It replays every corpus file, then runs a seeded,
// bounded mutation loop over them: bit flips, interesting bytes, inserts, deletes, duplicated
// ranges, splices between corpus entries, dictionary tokens (SQL keywords, protocol message
// types; libFuzzer's -dict format) and edits of 4-byte big-endian integers (the wire protocol's
// length fields). It has no coverage feedback: that is what the -DSTRATA_LIBFUZZER=ON build is
// for (tests/fuzz/README.md). Same seed, same inputs, so a failure in CI replays exactly.
//
// A finding (a signal: SIGSEGV, SIGABRT from abort() or an uncaught exception such as
// std::bad_alloc, ...; or an input running past --timeout-ms) writes the input to
// --crash-dir/crash-<name>-<hash> (or hang-...) and exits 1. Memory is capped with RLIMIT_AS
// (--memory-mb) so that a runaway allocation becomes std::bad_alloc rather than the OOM killer.
//
//   fuzz_wire [--runs N] [--seed S] [--max-len L] [--max-seconds T] [--timeout-ms MS]
//             [--memory-mb MB] [--dict FILE] [--crash-dir DIR] CORPUS_DIR_OR_FILE...
// Prints e.g. "fuzz_wire: 30000 executions (212 corpus, 29788 mutated), 0 crashes, 21.3 s".
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

struct Options {
  long runs = 20000;
  uint64_t seed = 1;
  size_t max_len = 4096;
  double max_seconds = 60;
  int timeout_ms = 5000;
  long memory_mb = 4096;
  std::string dict;
  std::string crash_dir = ".";
  std::vector<std::string> inputs;
};

// The input being run, for the signal handlers (set before each execution).
const char* g_name = "fuzz";
const std::string* g_current = nullptr;
char g_crash_dir[4096] = ".";

uint64_t Fnv1a(const char* p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(p[i])) * 1099511628211ull;
  return h;
}

void WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<size_t>(w);
  }
}
void Say(const char* s) { WriteAll(2, s, strlen(s)); }

// Saves the current input as <crash_dir>/<kind>-<name>-<hash> using only async-signal-safe calls.
void SaveCurrent(const char* kind) {
  if (g_current == nullptr) return;
  char path[4300];
  uint64_t h = Fnv1a(g_current->data(), g_current->size());
  char hex[17];
  for (int i = 15; i >= 0; --i, h >>= 4) hex[i] = "0123456789abcdef"[h & 15];
  hex[16] = '\0';
  path[0] = '\0';
  strncat(path, g_crash_dir, 4096);
  strcat(path, "/");
  strcat(path, kind);
  strcat(path, "-");
  strncat(path, g_name, 64);
  strcat(path, "-");
  strcat(path, hex);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    WriteAll(fd, g_current->data(), g_current->size());
    close(fd);
  }
  Say("fuzz: input saved to ");
  Say(path);
  Say("\n");
}

void OnCrash(int sig) {
  Say(sig == SIGALRM ? "\nfuzz: HANG (input ran past --timeout-ms)\n" : "\nfuzz: CRASH (");
  if (sig != SIGALRM) {
    Say(strsignal(sig));
    Say(")\n");
  }
  SaveCurrent(sig == SIGALRM ? "hang" : "crash");
  Say(g_name);
  Say(": 1 crashes\n");
  _exit(1);
}

void OnTerminate() {
  Say("\nfuzz: uncaught exception");
  if (auto e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      Say(": ");
      Say(ex.what());
    } catch (...) {
    }
  }
  Say("\n");
  OnCrash(SIGABRT);
}

void InstallHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnCrash;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_ONSTACK;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) sigaction(sig, &sa, nullptr);
  // Deep recursion overflows the stack: the SIGSEGV handler needs a stack of its own.
  static std::vector<char> alt(1 << 16);
  stack_t ss{};
  ss.ss_sp = alt.data();
  ss.ss_size = alt.size();
  sigaltstack(&ss, nullptr);
  std::set_terminate(OnTerminate);
}

void Arm(int timeout_ms) {
  itimerval t{};
  t.it_value.tv_sec = timeout_ms / 1000;
  t.it_value.tv_usec = (timeout_ms % 1000) * 1000;
  setitimer(ITIMER_REAL, &t, nullptr);
}

// libFuzzer's dictionary format: one token per line, `name="value"` or `"value"`, with \\, \"
// and \xNN escapes; '#' starts a comment.
std::vector<std::string> LoadDictionary(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t q = line.find('"');
    if (line.empty() || line[0] == '#' || q == std::string::npos) continue;
    size_t end = line.rfind('"');
    if (end <= q) continue;
    std::string token;
    for (size_t i = q + 1; i < end; ++i) {
      if (line[i] == '\\' && i + 1 < end) {
        char c = line[++i];
        if (c == 'x' && i + 2 < end) {
          token.push_back(static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          token.push_back(c);
        }
      } else {
        token.push_back(line[i]);
      }
    }
    if (!token.empty()) out.push_back(token);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> LoadInputs(const std::vector<std::string>& paths) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : paths) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
    } else {
      files.emplace_back(p);
    }
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.emplace_back(f.string(), ss.str());
    }
  }
  return out;
}

class Mutator {
 public:
  Mutator(uint64_t seed, const std::vector<std::pair<std::string, std::string>>* corpus,
          std::vector<std::string> dict, size_t max_len)
      : rng_(seed), corpus_(corpus), dict_(std::move(dict)), max_len_(max_len) {}

  std::string Next() {
    std::string s = corpus_->empty() ? std::string() : (*corpus_)[Pick(corpus_->size())].second;
    int edits = 1 + static_cast<int>(Pick(4));
    for (int i = 0; i < edits; ++i) MutateOnce(&s);
    if (s.size() > max_len_) s.resize(max_len_);
    return s;
  }

 private:
  size_t Pick(size_t n) { return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  char RandomByte() {
    static const unsigned char kInteresting[] = {0, 1, 0x7f, 0x80, 0xff, '\'', '"', '(', ')', ';', '$', '\\', '\n', '\t'};
    return Pick(2) ? static_cast<char>(Pick(256)) : static_cast<char>(kInteresting[Pick(sizeof kInteresting)]);
  }

  void MutateOnce(std::string* s) {
    switch (Pick(10)) {
      case 0:  // flip a bit
        if (!s->empty()) (*s)[Pick(s->size())] ^= static_cast<char>(1 << Pick(8));
        break;
      case 1:  // set a byte
        if (!s->empty()) (*s)[Pick(s->size())] = RandomByte();
        break;
      case 2:  // insert bytes
        s->insert(Pick(s->size() + 1), std::string(1 + Pick(4), RandomByte()));
        break;
      case 3:  // delete a range
        if (!s->empty()) {
          size_t at = Pick(s->size());
          s->erase(at, 1 + Pick(std::min<size_t>(s->size() - at, 32)));
        }
        break;
      case 4:  // duplicate a range (repeats a message or a clause)
        if (!s->empty()) {
          size_t at = Pick(s->size());
          std::string piece = s->substr(at, 1 + Pick(64));
          s->insert(Pick(s->size() + 1), piece);
        }
        break;
      case 5:  // splice: our head with another entry's tail
        if (!corpus_->empty()) {
          const std::string& other = (*corpus_)[Pick(corpus_->size())].second;
          size_t cut = Pick(s->size() + 1);
          size_t from = Pick(other.size() + 1);
          *s = s->substr(0, cut) + other.substr(from);
        }
        break;
      case 6:  // insert a dictionary token
      case 7:  // overwrite with a dictionary token
        if (!dict_.empty()) {
          const std::string& tok = dict_[Pick(dict_.size())];
          size_t at = Pick(s->size() + 1);
          if (Pick(2) == 0 && at + tok.size() <= s->size()) s->replace(at, tok.size(), tok);
          else s->insert(at, (Pick(2) ? " " : "") + tok + (Pick(2) ? " " : ""));
        }
        break;
      case 8:  // edit a 4-byte big-endian integer (a length, a count, a code)
        if (s->size() >= 4) {
          size_t at = Pick(s->size() - 3);
          uint32_t v = 0;
          for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>((*s)[at + i]);
          static const uint32_t kValues[] = {0, 1, 3, 4, 5, 0x7fffffff, 0x80000000u, 0xffffffffu, 10000, 65536};
          switch (Pick(4)) {
            case 0: v += 1 + Pick(8); break;
            case 1: v -= 1 + Pick(8); break;
            case 2: v = kValues[Pick(sizeof kValues / sizeof kValues[0])]; break;
            default: v = static_cast<uint32_t>(Pick(1u << 16)); break;
          }
          for (int i = 3; i >= 0; --i, v >>= 8) (*s)[at + i] = static_cast<char>(v & 0xff);
        }
        break;
      default:  // edit a 2-byte big-endian integer (parameter and format counts)
        if (s->size() >= 2) {
          size_t at = Pick(s->size() - 1);
          static const uint16_t kValues[] = {0, 1, 2, 0x7fff, 0x8000, 0xffff, 3};
          uint16_t v = kValues[Pick(sizeof kValues / sizeof kValues[0])];
          (*s)[at] = static_cast<char>(v >> 8);
          (*s)[at + 1] = static_cast<char>(v & 0xff);
        }
        break;
    }
  }

  std::mt19937_64 rng_;
  const std::vector<std::pair<std::string, std::string>>* corpus_;
  std::vector<std::string> dict_;
  size_t max_len_;
};

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--runs") o->runs = std::stol(value());
    else if (a == "--seed") o->seed = std::stoull(value());
    else if (a == "--max-len") o->max_len = std::stoul(value());
    else if (a == "--max-seconds") o->max_seconds = std::stod(value());
    else if (a == "--timeout-ms") o->timeout_ms = std::stoi(value());
    else if (a == "--memory-mb") o->memory_mb = std::stol(value());
    else if (a == "--dict") o->dict = value();
    else if (a == "--crash-dir") o->crash_dir = value();
    else if (a.rfind("--", 0) == 0) return false;
    else o->inputs.push_back(a);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, &o)) {
    std::fprintf(stderr,
                 "usage: %s [--runs N] [--seed S] [--max-len L] [--max-seconds T] [--timeout-ms MS] "
                 "[--memory-mb MB] [--dict FILE] [--crash-dir DIR] CORPUS_DIR_OR_FILE...\n",
                 argv[0]);
    return 2;
  }
  static std::string name = std::filesystem::path(argv[0]).filename().string();
  g_name = name.c_str();
  strncpy(g_crash_dir, o.crash_dir.c_str(), sizeof g_crash_dir - 1);
  if (o.memory_mb > 0) {
    rlimit lim{static_cast<rlim_t>(o.memory_mb) << 20, static_cast<rlim_t>(o.memory_mb) << 20};
    setrlimit(RLIMIT_AS, &lim);
  }
  InstallHandlers();

  auto corpus = LoadInputs(o.inputs);
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  long executions = 0;
  std::string current;
  g_current = &current;
  for (const auto& [path, bytes] : corpus) {
    current = bytes;
    Arm(o.timeout_ms);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(current.data()), current.size());
    Arm(0);
    ++executions;
  }
  const long replayed = executions;
  Mutator mutator(o.seed, &corpus, o.dict.empty() ? std::vector<std::string>{} : LoadDictionary(o.dict), o.max_len);
  while (executions < o.runs && elapsed() < o.max_seconds) {
    current = mutator.Next();
    Arm(o.timeout_ms);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(current.data()), current.size());
    Arm(0);
    ++executions;
  }
  std::printf("%s: %ld executions (%ld corpus, %ld mutated, seed %llu), 0 crashes, %.1f s\n", g_name, executions,
              replayed, executions - replayed, static_cast<unsigned long long>(o.seed), elapsed());
  return 0;
}
