#pragma once
// A real SMTP server for the tests (Debian's python3-aiosmtpd) that keeps what it
// receives, decoded, for the test to read.
#include "harness.h"

namespace test {

// aiosmtpd on a free loopback port; each message it receives is parsed by Python's
// email package and written as mail-N.json: {from, to, subject, body} decoded.
constexpr const char* kSmtpSink = R"py(
import email, json, os, signal, sys
from email import policy
from aiosmtpd.controller import Controller
port, out = int(sys.argv[1]), sys.argv[2]
class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        Sink.count += 1
        path = os.path.join(out, "mail-%d.json" % Sink.count)
        with open(path + ".tmp", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(msg["subject"]),
                       "body": msg.get_content(), "type": msg.get_content_type()}, f)
        os.rename(path + ".tmp", path)
        return "250 OK"
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
open(os.path.join(out, "ready"), "w").close()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
)py";

class SmtpSink {
public:
  // On `port` when given (a sink started again where a stopped one was).
  explicit SmtpSink(int port = 0) {
    dir_ = make_temp_dir();
    port_ = port ? port : free_port();
    std::ofstream(dir_ + "/sink.py") << kSmtpSink;
    pid_ = fork();
    if (pid_ == 0) {
      execl("/usr/bin/python3", "python3", (dir_ + "/sink.py").c_str(), std::to_string(port_).c_str(), dir_.c_str(),
            (char*)nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && !fs::exists(dir_ + "/ready"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ~SmtpSink() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    fs::remove_all(dir_);
  }
  bool ready() const { return fs::exists(dir_ + "/ready"); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  // The n-th message received (1-based), waiting up to `seconds`; null when none came.
  json mail(int n, int seconds = 10) const {
    const std::string path = dir_ + "/mail-" + std::to_string(n) + ".json";
    for (int i = 0; i < seconds * 50 && !fs::exists(path); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return fs::exists(path) ? json::parse(read_file(path), nullptr, false) : json();
  }
  int received() const {
    int n = 0;
    while (fs::exists(dir_ + "/mail-" + std::to_string(n + 1) + ".json")) ++n;
    return n;
  }

private:
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace test
