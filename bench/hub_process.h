// A `vxpkit hub` process for the benches: started on a free loopback port with the given
// arguments, its output in a file, its URL read from the "listening on" line; stopped with
// SIGTERM on destruction. Exits the bench (status 2, the hub's output shown) when it does not
// start.
#ifndef VXP_BENCH_HUB_PROCESS_H_
#define VXP_BENCH_HUB_PROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace vxp::bench {

// One `vxpkit hub` process, its output in a file; stopped with SIGTERM on destruction.
class HubProcess {
 public:
  HubProcess(const std::string& vxpkit, const std::vector<std::string>& hub_args,
             const std::string& log, int start_seconds = 30) {
    std::vector<std::string> argv = {vxpkit, "hub", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), hub_args.begin(), hub_args.end());
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    std::fflush(stdout);  // else the child would print what this process has buffered
    pid_ = fork();
    if (pid_ == 0) {
      std::FILE* out = std::freopen(log.c_str(), "w", stdout);
      (void)out;
      dup2(1, 2);
      execv(args[0], args.data());
      _exit(127);
    }
    for (int i = 0; i < start_seconds * 20 && url_.empty(); ++i) {
      std::ifstream in(log);
      std::string line;
      while (std::getline(in, line)) {
        auto at = line.find("listening on http://");
        if (at != std::string::npos) url_ = line.substr(at + 13) + "/XrdAdapter/adapter";
      }
      if (url_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (url_.empty()) {
      std::ifstream in(log);
      std::stringstream all;
      all << in.rdbuf();
      std::fprintf(stderr, "the hub did not start:\n%s\n", all.str().c_str());
      std::exit(2);
    }
  }
  ~HubProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;
  const std::string& url() const { return url_; }
  pid_t pid() const { return pid_; }
  // Its peak resident memory so far (VmHWM), in bytes; 0 when unknown.
  std::size_t PeakRss() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
  }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

}  // namespace vxp::bench

#endif  // VXP_BENCH_HUB_PROCESS_H_
