#include "harness/load/engine.h"

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "core/common/text.h"
#include "core/edxml/parse.h"
#include "harness/observer.h"

namespace vxp::load {

Micros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

void SleepUntil(Micros t) {
  std::this_thread::sleep_until(
      std::chrono::steady_clock::time_point(std::chrono::microseconds(t)));
}

}  // namespace

Result<SendRun> SendOnSchedule(const std::vector<Micros>& schedule,
                               const std::function<Outgoing(size_t)>& make,
                               const SenderOptions& options) {
  const int connections = std::max(1, options.connections);
  const int most = std::max(connections, options.max_connections);
  auto open = [&]() {
    return options.connect ? options.connect() : clients::HubClient::Create(options.client);
  };
  std::vector<std::unique_ptr<clients::HubClient>> first;
  for (int i = 0; i < connections; ++i) {
    auto c = open();
    if (!c) return tl::unexpected(c.error());
    first.push_back(std::move(*c));
  }
  SendRun run;
  run.records.resize(schedule.size());
  run.origin = NowMicros() + options.lead;
  std::atomic<size_t> next{0};
  std::atomic<size_t> sent{0};
  std::mutex mu;
  std::condition_variable finished;
  int running = 0;  // sending threads; one that grows the pool counts the new one first
  int opened = 0;   // connections in all
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<clients::HubClient>> clients;  // owned here, one per thread
  std::function<void(clients::HubClient*)> send;
  // A sender that finds itself late asks for one more connection (up to `most`): the open model
  // holds only while the SUT's answer time never keeps a message waiting for a free connection.
  std::atomic<int> in_request{0};  // connections waiting for an answer
  auto grow = [&](int others_busy) {
    std::lock_guard lock(mu);
    // Only when every other connection is waiting for an answer: a late send with a connection
    // free is the machine's lateness, which more connections would not cure.
    if (opened >= most || others_busy < opened - 1) return;
    ++opened;
    ++running;
    threads.emplace_back([&] {
      auto c = open();
      if (c) {
        clients::HubClient* client = c->get();
        {
          std::lock_guard own(mu);
          clients.push_back(std::move(*c));
        }
        send(client);
      } else {
        std::lock_guard done(mu);
        --opened;
        if (--running == 0) finished.notify_all();
      }
    });
  };
  send = [&](clients::HubClient* client) {
    for (size_t i; (i = next.fetch_add(1)) < schedule.size();) {
      SendRecord& r = run.records[i];
      r.intended = run.origin + schedule[i];
      auto stopped = [&] {
        if (!options.stop || !options.stop()) return false;
        r.error = "stopped";
        sent.fetch_add(1);
        return true;
      };
      if (stopped()) continue;
      Outgoing out = make(i);
      SleepUntil(r.intended);
      if (stopped()) continue;
      r.started = NowMicros();
      const int others_busy = in_request.fetch_add(1);
      if (r.started - r.intended > options.grow_after) grow(others_busy);
      auto id = client->SendEdoc(out.from, "edoc", out.bytes);
      in_request.fetch_sub(1);
      r.done = NowMicros();
      if (id) {
        r.doc_id = *id;
      } else {
        r.error = id.error().code;
      }
      sent.fetch_add(1);
    }
    std::lock_guard lock(mu);
    if (--running == 0) finished.notify_all();
  };
  {
    std::lock_guard lock(mu);
    for (auto& c : first) {
      ++opened;
      ++running;
      threads.emplace_back([&send, client = c.get()] { send(client); });
      clients.push_back(std::move(c));
    }
  }
  {
    std::unique_lock lock(mu);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::microseconds(options.progress_every));
      if (running > 0 && options.progress) {
        lock.unlock();
        options.progress(sent.load(), schedule.size());
        lock.lock();
      }
    }
  }
  // No thread is running, so none adds another: the list is complete.
  for (std::thread& t : threads) t.join();
  run.connections = opened;
  return run;
}

void SutTap::OnEvent(const hub::Event& event) {
  if (event.system_id != sut_system_ || event.request == nullptr) return;
  Micros now = NowMicros();
  requests_.fetch_add(1);
  const std::string& op = event.operation;
  if (event.error_code != "0") {
    std::lock_guard lock(mu_);
    ++refused_[event.error_code];
    // A status the hub refused still counts as what the SUT said (and did not get through).
  }
  const bool fetch = op == "getEdoc" || op == "downloadEdoc";
  if ((fetch || op == "updateStatus") && event.error_code == "0") {
    std::string raw = harness::RequestParam(*event.request, "docid");
    char* end = nullptr;
    long long id = std::strtoll(raw.c_str(), &end, 10);
    if (raw.empty() || *end != '\0') return;
    std::lock_guard lock(mu_);
    if (fetch) {
      fetches_.try_emplace(id, now);
    } else if (AsciiLower(harness::RequestParam(*event.request, "status")) == "done" &&
               acknowledged_ids_.insert(id).second) {
      acknowledged_.fetch_add(1);
    }
    return;
  }
  if (op != "sendEdoc") return;
  if (AsciiLower(harness::RequestParam(*event.request, "messagetype")) != "status") return;
  std::string_view body = event.request->body;
  while (body.ends_with("\r\n")) body.remove_suffix(2);
  auto parsed = edxml::ParsePackage(body);
  if (!parsed) return;
  const edxml::StatusHeader* s = parsed->package.status();
  if (s == nullptr) return;
  TapStatus t{now,
              event.error_code == "0",
              event.error_code,
              s->status_code,
              s->from.organ_id,
              s->response_for.organ_id,
              s->description.value_or("")};
  std::lock_guard lock(mu_);
  const std::string& id = s->response_for.document_id;
  if (t.accepted && (t.code == "02" || t.code == "03") && answered_ids_.insert(id).second) {
    answered_.fetch_add(1);
  }
  statuses_[id].push_back(std::move(t));
}

std::map<std::int64_t, Micros> SutTap::FirstFetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

std::map<std::string, std::vector<TapStatus>> SutTap::Statuses() const {
  std::lock_guard lock(mu_);
  return statuses_;
}

std::map<std::string, int> SutTap::Refused() const {
  std::lock_guard lock(mu_);
  return refused_;
}

}  // namespace vxp::load
