#include "harness/hub_world.h"

#include <charconv>

namespace vxp::harness {
namespace {

class LocalWorld : public HubWorld {
 public:
  LocalWorld(hub::Hub& hub, std::string peer_system, clients::HubClient& peer_client,
             std::vector<mock::MockAgency*> peer_agencies, http::TransportFactory connect)
      : hub_(hub),
        peer_system_(std::move(peer_system)),
        peer_client_(peer_client),
        peer_agencies_(std::move(peer_agencies)),
        connect_(std::move(connect)) {}

  Result<std::int64_t> SendAsPeer(std::string_view from, std::string_view message_type,
                                  std::string_view bytes) override {
    auto doc_id = peer_client_.SendEdoc(from, message_type, bytes);
    if (!doc_id) return tl::unexpected(doc_id.error());
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(doc_id->data(), doc_id->data() + doc_id->size(), id);
    if (ec != std::errc() || p != doc_id->data() + doc_id->size()) {
      return MakeError("wire.response", "the hub answered DocId '" + *doc_id + "'");
    }
    return id;
  }

  Result<Injected> Inject(std::string_view from, std::string_view to, std::string_view to_system,
                          std::string title, std::string bytes, wire::Millis now) override {
    hub::Submission s{peer_system_, std::string(from), "edoc", std::move(title), "", bytes};
    std::vector<hub::Recipient> recipients = {{std::string(to), std::string(to_system), ""}};
    std::vector<std::int64_t> ids;
    auto id = hub_.store().Submit(s, recipients, now, &ids);
    if (!id) return tl::unexpected(id.error());
    return Injected{*id, ids.front()};
  }

  Result<std::vector<hub::Delivery>> PeerDeliveries(
      std::string_view message_type, std::optional<std::int64_t> submission) override {
    return hub_.store().Sent(peer_system_, message_type, submission);
  }

  std::optional<hub::Agency> FindAgency(std::string_view code) override {
    auto a = hub_.store().GetAgency(code);
    if (!a || !*a) return std::nullopt;
    return **a;
  }

  Result<void> AddLoadAgencies(const std::vector<std::string>& codes) override {
    wire::Credentials load = LoadCredentials();
    return hub_.RegisterSystem({load.system_id, load.secret}, codes);
  }

  Result<std::vector<hub::Delivery>> LoadDeliveries(std::string_view message_type) override {
    return hub_.store().Sent(LoadSystemOf(peer_system_), message_type, std::nullopt);
  }

  std::vector<mock::HeldDocument> PeerRecords(size_t i) override {
    return i < peer_agencies_.size() ? peer_agencies_[i]->Documents()
                                     : std::vector<mock::HeldDocument>{};
  }

  void AddFault(const hub::Fault& fault) override { hub_.faults().Add(fault); }
  void ClearFaults() override { hub_.faults().Clear(); }

  Result<std::unique_ptr<clients::HubClient>> NewLoadClient() override {
    auto transport = connect_();
    if (!transport) return tl::unexpected(transport.error());
    clients::HubClientOptions options = peer_client_.options();
    options.credentials = LoadCredentials();
    return clients::HubClient::Create(options, std::move(*transport));
  }

  void Subscribe(std::function<void(const hub::Event&)> sink) override {
    hub_.Subscribe(std::move(sink));
  }

 private:
  wire::Credentials LoadCredentials() const {
    return {LoadSystemOf(peer_system_), peer_client_.options().credentials.secret + "-load"};
  }

  hub::Hub& hub_;
  const std::string peer_system_;
  clients::HubClient& peer_client_;
  const std::vector<mock::MockAgency*> peer_agencies_;
  http::TransportFactory connect_;
};

}  // namespace

std::string LoadSystemOf(std::string_view peer_system) {
  return std::string(peer_system) + "-load";
}

std::unique_ptr<HubWorld> LocalHubWorld(hub::Hub& hub, std::string peer_system,
                                        clients::HubClient& peer_client,
                                        std::vector<mock::MockAgency*> peer_agencies,
                                        http::TransportFactory connect) {
  return std::make_unique<LocalWorld>(hub, std::move(peer_system), peer_client,
                                      std::move(peer_agencies), std::move(connect));
}

}  // namespace vxp::harness
