// _vxpkit: the native half of the Python package `vxpkit` (pybind/vxpkit/__init__.py re-exports
// it; __init__.pyi types it). A thin adapter: every function calls the same library the CLI
// calls. Library errors become vxpkit.VxpkitError with the library's message and its code in
// `.code`; a vendor's non-conformance is data (Finding objects), never an exception. Long calls
// (runs, hub and agency start/stop) release the GIL.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <memory>

#include "conformance/common.h"
#include "conformance/run.h"
#include "core/common/clock.h"
#include "core/common/datetime.h"
#include "core/edxml/parse.h"
#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"
#include "core/edxml/validate.h"
#include "core/lifecycle/lifecycle.h"
#include "core/signing/envelope.h"
#include "core/signing/pdf.h"
#include "core/signing/test_pki.h"
#include "core/signing/verify.h"
#include "harness/demo.h"
#include "harness/run_record.h"
#include "reports/result_dir.h"
#include "results/json.h"
#include "simulator/agency/agency.h"
#include "simulator/agency/driver.h"
#include "simulator/http/server.h"
#include "simulator/hub/directory.h"
#include "simulator/hub/hub.h"
#include "simulator/hub/settings.h"
#include "simulator/hub/store.h"

namespace py = pybind11;

namespace vxp::python {
namespace {

py::object& ErrorType() {
  static py::object type;
  return type;
}

[[noreturn]] void Raise(const Error& e) {
  py::object error = ErrorType()(e.message);
  error.attr("code") = e.code;
  PyErr_SetObject(ErrorType().ptr(), error.ptr());
  throw py::error_already_set();
}

template <typename T>
T Take(Result<T> r) {
  if (!r) Raise(r.error());
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

std::string Bytes(const py::object& data) {
  if (py::isinstance<py::bytes>(data)) return std::string(py::bytes(data));
  if (py::isinstance<py::str>(data)) return data.cast<std::string>();
  throw py::type_error("expected bytes or str");
}

// `f()` with the GIL released: starting and stopping servers and whole runs block, and the
// threads they wait for may need the GIL (progress callbacks).
template <typename F>
auto WithoutGil(F&& f) {
  py::gil_scoped_release release;
  return f();
}

wire::Millis Now() { return SystemMillis(); }

// The finding's JSON form (results::FindingJson, as `vxpkit validate --json` writes it).
py::dict FindingDict(const Finding& f) {
  py::dict d;
  for (const auto& [key, value] : results::FindingJson(f)) {
    std::string k(key);
    if (value.is_string()) {
      d[k.c_str()] = std::string(value.get_string());
    } else if (value.is_int64()) {
      d[k.c_str()] = value.get_int64();
    }
  }
  return d;
}

// ---- packages ----

std::vector<std::string> ToIds(const edxml::Package& p) {
  std::vector<std::string> out;
  if (const auto* d = p.document()) {
    for (const auto& o : d->to) out.push_back(o.organ_id);
  } else {
    out.push_back(p.status()->response_for.organ_id);
  }
  return out;
}

edxml::Package Parse(const py::object& data) {
  auto parsed = edxml::ParsePackage(Bytes(data));
  if (!parsed) {
    Raise(Error{parsed.error().rule_id, parsed.error().rule_id + ": " + parsed.error().message});
  }
  return std::move(parsed->package);
}

std::optional<Date> TodayOf(const std::optional<std::string>& today) {
  if (!today) return std::nullopt;
  auto d = ParseEdxmlDate(*today);
  if (!d) {
    Raise(Error{"usage", "today '" + *today + "' is not a date like 2026/11/21 or 2026-11-21"});
  }
  return *d;
}

// Signatures judged against the test PKI at its pinned time, as the CLI's default.
signing::SignaturePolicy PinnedPolicy(bool require_signed_pdf) {
  signing::SignaturePolicy policy;
  policy.verify.at = *signing::ParseTime(signing::test_pki::kPinnedTime);
  policy.require_signed_pdf = require_signed_pdf;
  return policy;
}

// ---- hub ----

// A hub with the national hub's HTTP API on loopback, in this process.
class Hub {
 public:
  Hub(std::string host, int port) : host_(std::move(host)), port_(port) {
    auto store = Take(hub::OpenSqliteStore(":memory:"));
    // Timestamps fresh in UTC+7 or this host's zone, as `vxpkit hub` (hub-simulator.md).
    hub_ = std::make_unique<hub::Hub>(std::move(store), hub::HubSettings{}.config, Now);
    Take(hub_->SeedDirectory(hub::DefaultDirectory()));
  }
  ~Hub() { Stop(); }

  void AddSystem(const std::string& id, const std::string& secret,
                 const std::vector<std::string>& agencies) {
    Take(hub_->RegisterSystem({id, secret}, agencies));
    credentials_[id] = secret;
  }
  void Start() {
    if (server_) return;
    http::ServerOptions o;
    o.host = host_;
    o.port = static_cast<unsigned short>(port_);
    server_ = Take(WithoutGil([&] { return http::Server::StartHub(o, *hub_); }));
  }
  void Stop() {
    if (!server_) return;
    WithoutGil([&] { server_->Stop(); });
    server_.reset();
  }
  std::string Url() const { return server_ ? server_->url() : ""; }
  int Port() const { return server_ ? server_->port() : 0; }
  const std::map<std::string, std::string>& Credentials() const { return credentials_; }

 private:
  std::string host_;
  int port_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<http::Server> server_;
  std::map<std::string, std::string> credentials_;
};

// A mock agency polling a hub, with its test-driver API.
class Agency {
 public:
  Agency(std::string hub_url, std::string system_id, std::string secret, std::string agency_id,
         std::string profile, int poll_ms, bool progress)
      : hub_url_(std::move(hub_url)),
        system_id_(std::move(system_id)),
        secret_(std::move(secret)),
        agency_id_(std::move(agency_id)),
        profile_(std::move(profile)),
        poll_ms_(poll_ms),
        progress_(progress) {
    if (!mock::IsProfile(profile_)) {
      Raise(Error{"agency.profile", "unknown profile '" + profile_ + "' (vxpkit.profiles())"});
    }
  }
  ~Agency() { Stop(); }
  void Start() {
    if (service_) return;
    clients::HubClientOptions c;
    c.url = hub_url_ + "/XrdAdapter/adapter";
    c.credentials = {system_id_, secret_};
    mock::AgencyOptions o;
    o.organ_id = agency_id_;
    o.profile = profile_;
    o.progress = progress_;
    auto agency =
        Take(mock::MockAgency::Create([&] { return clients::HubClient::Create(c); }, o, Now));
    mock::ServiceOptions so;
    so.poll_interval = std::chrono::milliseconds(poll_ms_);
    so.serve_driver = true;
    so.driver.host = "127.0.0.1";
    so.driver.port = 0;
    service_ = Take(WithoutGil([&] { return mock::AgencyService::Start(std::move(agency), so); }));
  }
  void Stop() {
    if (!service_) return;
    WithoutGil([&] { service_->Stop(); });
    service_.reset();
  }
  mock::MockAgency& Running() {
    if (!service_) Raise(Error{"agency.stopped", "the agency is not started (start() or with)"});
    return service_->agency();
  }
  std::string DriverUrl() const { return service_ ? service_->driver_url() : ""; }
  const std::string& agency_id() const { return agency_id_; }

 private:
  std::string hub_url_, system_id_, secret_, agency_id_, profile_;
  int poll_ms_;
  bool progress_;
  std::unique_ptr<mock::AgencyService> service_;
};

py::dict HeldDict(const mock::HeldDocument& h) {
  py::dict d;
  d["direction"] = h.direction;
  d["document_id"] = h.document_id;
  d["from"] = h.from;
  d["to"] = h.to;
  d["business_type"] = h.business_type;
  d["subject"] = h.subject;
  d["judgement"] = h.judgement;
  py::list statuses;
  for (const auto& s : h.statuses) {
    py::dict st;
    st["code"] = s.code;
    st["from"] = s.from;
    st["to"] = s.to;
    st["description"] = s.description;
    st["direction"] = s.direction;
    statuses.append(st);
  }
  d["statuses"] = statuses;
  return d;
}

// ---- runs ----

struct Run {
  harness::RunResult result;
  std::string ToJson() const {
    return results::ToJson(harness::MakeRecord(result, conformance::Requirements(), VXP_VERSION));
  }
};

harness::RunOptions Options(const std::string& profile, const std::vector<std::string>& only,
                            const std::vector<std::string>& categories, std::uint64_t seed,
                            bool strict, const std::map<std::string, std::string>& expected,
                            const std::optional<std::function<void(const std::string&)>>& progress,
                            const std::string& replay) {
  harness::RunOptions o;
  o.profile = profile;
  o.only = only;
  o.categories = categories;
  o.seed = seed;
  o.strict = strict;
  o.expected_failures = expected;
  o.replay_command = replay;
  o.first_doc_id = harness::FirstDocIdAt(SystemMillis() / 1000);
  o.document_series = harness::DocumentSeriesAt(SystemMillis() / 1000);
  // Ctrl-C: Python's own handler only notes a SIGINT while the run holds no GIL; the harness asks
  // between scenarios and at every wait, and the run ends INCOMPLETE with what it finished (the
  // CLI's behaviour), instead of a KeyboardInterrupt that would lose it. A KeyboardInterrupt raised
  // inside the progress callback counts the same.
  auto stop = std::make_shared<std::atomic<bool>>(false);
  o.interrupted = [stop]() -> std::string {
    if (!*stop) {
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        PyErr_Clear();
        *stop = true;
      }
    }
    return *stop ? "Ctrl-C (KeyboardInterrupt)" : "";
  };
  if (progress) {
    auto fn = *progress;
    o.progress = [fn, stop](const std::string& line) {
      py::gil_scoped_acquire acquire;
      try {
        fn(line);
      } catch (py::error_already_set& e) {
        if (!e.matches(PyExc_KeyboardInterrupt)) throw;
        *stop = true;
      }
    };
  }
  return o;
}

Run Execute(const harness::SutConfig& sut, const harness::RunOptions& options,
            const std::optional<std::string>& fault) {
  // A vendor's system must be started once the hub listens: say so where progress goes.
  auto ready = [&](const std::string& hub_url) {
    if (!fault && options.progress) {
      options.progress("vxpkit: the hub for " + sut.system_id + " listens at " + hub_url +
                       "/XrdAdapter/adapter/ - start your system now");
    }
  };
  return Run{
      Take(WithoutGil([&] { return conformance::RunCatalogue(sut, options, fault, ready); }))};
}

}  // namespace
}  // namespace vxp::python

namespace vxp::python {
namespace {

// Finding, Package and Judgement: the values the module hands out.
void BindModel(py::module_& m) {
  py::class_<Finding>(m, "Finding", "One judged rule: what was expected, what was found, where.")
      .def_readonly("rule_id", &Finding::rule_id)
      .def_property_readonly("level",
                             [](const Finding& f) { return std::string(ToString(f.level)); })
      .def_property_readonly("verdict",
                             [](const Finding& f) { return std::string(ToString(f.verdict)); })
      .def_property_readonly("location", [](const Finding& f) { return f.location.path; })
      .def_property_readonly("line", [](const Finding& f) { return f.location.line; })
      .def_readonly("expected", &Finding::expected)
      .def_readonly("actual", &Finding::actual)
      .def_readonly("message", &Finding::message)
      .def("to_dict", &FindingDict)
      .def("__repr__", [](const Finding& f) {
        return "<Finding " + std::string(ToString(f.verdict)) + " " + f.rule_id + ": " + f.message +
               ">";
      });

  py::class_<edxml::Package>(m, "Package", "An edXML package (QCVN 102:2016): document or status.")
      .def_property_readonly("kind",
                             [](const edxml::Package& p) {
                               return p.kind() == edxml::PackageKind::kStatus ? "status"
                                                                              : "document";
                             })
      .def_property_readonly("from_organ",
                             [](const edxml::Package& p) {
                               return p.document() ? p.document()->from.organ_id
                                                   : p.status()->from.organ_id;
                             })
      .def_property_readonly("to", &ToIds)
      .def_property(
          "document_id",
          [](const edxml::Package& p) {
            return p.document() ? p.document()->document_id : p.status()->response_for.document_id;
          },
          [](edxml::Package& p, const std::string& id) {
            if (p.document()) {
              p.document()->document_id = id;
            } else {
              p.status()->response_for.document_id = id;
            }
          })
      .def_property(
          "subject",
          [](const edxml::Package& p) { return p.document() ? p.document()->subject : ""; },
          [](edxml::Package& p, const std::string& s) {
            if (!p.document()) throw py::attribute_error("a status package has no subject");
            p.document()->subject = s;
          })
      .def_property_readonly("status_code",
                             [](const edxml::Package& p) {
                               return p.status() ? p.status()->status_code : std::string();
                             })
      .def_property_readonly(
          "description",
          [](const edxml::Package& p) {
            return p.status() && p.status()->description ? *p.status()->description : std::string();
          })
      .def_property_readonly("attachment_names",
                             [](const edxml::Package& p) {
                               std::vector<std::string> out;
                               for (const auto& a : p.attachments) {
                                 out.push_back(a.attachment_name.value_or(a.content_id));
                               }
                               return out;
                             })
      .def(
          "to_xml", [](const edxml::Package& p) { return py::bytes(Take(edxml::Serialize(p))); },
          "The package as edXML bytes (UTF-8).")
      .def("__repr__", [](const edxml::Package& p) {
        return std::string("<Package ") +
               (p.kind() == edxml::PackageKind::kStatus ? "status " + p.status()->status_code
                                                        : std::string("document")) +
               " " +
               (p.document() ? p.document()->document_id : p.status()->response_for.document_id) +
               ">";
      });

  py::class_<edxml::Judgement>(m, "Judgement", "What vxpkit judged of one package's bytes.")
      .def_property_readonly(
          "kind", [](const edxml::Judgement& j) { return std::string(ToString(j.kind)); })
      .def_property_readonly(
          "verdict", [](const edxml::Judgement& j) { return std::string(ToString(j.verdict)); })
      .def_readonly("findings", &edxml::Judgement::findings)
      .def_readonly("package", &edxml::Judgement::package)
      .def_property_readonly("ok",
                             [](const edxml::Judgement& j) { return j.verdict != Verdict::kFail; })
      .def("__repr__", [](const edxml::Judgement& j) {
        return "<Judgement " + std::string(ToString(j.verdict)) + ", " +
               std::to_string(j.findings.size()) + " findings>";
      });
}

// Parsing, validating, signing and verifying packages; the lifecycle tracker.
void BindJudging(py::module_& m) {
  m.def("parse", &Parse, py::arg("data"),
        "Parses edXML bytes into a Package. Raises VxpkitError (code = the rule, e.g. "
        "EDXML-XML-DTD) when they are not an edXML package.");
  m.def(
      "validate",
      [](const py::object& data, const std::string& mode, const std::optional<std::string>& today,
         bool signatures, bool require_signed_pdf) {
        edxml::ValidateOptions o;
        if (mode == "lenient") {
          o.rules.strictness = Strictness::kLenient;
        } else if (mode != "strict") {
          Raise(Error{"usage", "mode '" + mode + "' is not strict or lenient"});
        }
        o.rules.today = TodayOf(today);
        std::string bytes = Bytes(data);
        py::gil_scoped_release release;
        if (!signatures) return edxml::Validate(bytes, o);
        return signing::Judge(bytes, o, PinnedPolicy(require_signed_pdf));
      },
      py::arg("data"), py::arg("mode") = "strict", py::arg("today") = py::none(),
      py::arg("signatures") = false, py::arg("require_signed_pdf") = false,
      "Judges a package: XML safety, schema, edXML rules (strict, or lenient: interop) and, "
      "with signatures=True, its envelope and PDF signatures against vxpkit's test PKI at its "
      "pinned time. Never raises for bad input: that is findings.");
  m.def(
      "sample_document",
      [](const std::string& attachment) { return edxml::samples::Document(attachment); },
      py::arg("attachment") = "", "A valid new document from 000.00.00.G22 to 000.00.00.H53.");
  m.def(
      "sample_business",
      [](int type) {
        if (type < 0 || type > 3) Raise(Error{"usage", "business type is 0, 1, 2 or 3"});
        return edxml::samples::BusinessDocument(type);
      },
      py::arg("business_type"), "A revoke (1), update (2) or replace (3) document; 0 is new.");
  m.def(
      "sample_status", [](const std::string& code) { return edxml::samples::Status(code); },
      py::arg("code"), "Status `code` (01-06, 13, 15, 16) answering the sample document.");
  m.def(
      "test_credential",
      [](const std::string& name) {
        auto c = Take(signing::test_pki::BuiltInCredential(name));
        return py::make_tuple(c.key_pem, c.cert_pem, c.chain_pem);
      },
      py::arg("name"),
      "(key_pem, cert_pem, chain_pem) of a built-in test signer: agency-g22, agency-h53, "
      "agency-expired, agency-revoked, agency-untrusted, agency-wrong-key-usage.");
  m.def(
      "sign",
      [](const py::object& package, const std::string& key_pem, const std::string& cert_pem,
         const std::string& chain_pem) {
        signing::EnvelopeOptions o;
        return py::bytes(
            Take(signing::SignEnvelope(Bytes(package), {key_pem, cert_pem, chain_pem}, o)));
      },
      py::arg("package"), py::arg("key_pem"), py::arg("cert_pem"), py::arg("chain_pem") = "",
      "Signs a package with an XML-DSig envelope signature; returns the signed bytes.");
  m.def(
      "sign_pdf",
      [](const py::object& pdf, const std::string& key_pem, const std::string& cert_pem,
         const std::string& chain_pem) {
        signing::PdfSignOptions o;
        o.signing_time = *signing::ParseTime(signing::test_pki::kPinnedTime);
        return py::bytes(Take(signing::SignPdf(Bytes(pdf), {key_pem, cert_pem, chain_pem}, o)));
      },
      py::arg("pdf"), py::arg("key_pem"), py::arg("cert_pem"), py::arg("chain_pem") = "",
      "Signs a PDF (CMS, adbe.pkcs7.detached) at the test PKI's pinned time.");
  m.def(
      "make_test_pdf",
      [](const std::vector<std::string>& lines) { return py::bytes(signing::MakeTestPdf(lines)); },
      py::arg("lines"), "A one-page PDF showing `lines`, to sign and attach.");
  m.def(
      "verify",
      [](const py::object& data, bool require_signed_pdf) {
        std::string bytes = Bytes(data);
        py::gil_scoped_release release;
        return signing::VerifyFile(bytes, PinnedPolicy(require_signed_pdf)).check.findings;
      },
      py::arg("data"), py::arg("require_signed_pdf") = true,
      "The signature findings of a package or a PDF, judged against the test PKI at its pinned "
      "time. An empty list: every signature verifies.");

  py::class_<lifecycle::Tracker>(m, "LifecycleTracker",
                                 "Judges the statuses of one document at one recipient, in order.")
      .def(py::init([](const std::string& document_id, const std::string& sender,
                       const std::string& recipient, int business_type) {
             if (business_type < 0 || business_type > 3) {
               Raise(Error{"usage", "business type is 0, 1, 2 or 3"});
             }
             return lifecycle::Tracker(document_id, sender, recipient,
                                       static_cast<lifecycle::BusinessType>(business_type));
           }),
           py::arg("document_id"), py::arg("sender"), py::arg("recipient"),
           py::arg("business_type") = 0)
      .def(
          "feed",
          [](lifecycle::Tracker& t, const std::string& code, const std::string& from,
             const std::string& to, const std::string& description) {
            return t.Feed({code, from, to, description});
          },
          py::arg("code"), py::arg("from_organ"), py::arg("to_organ"), py::arg("description") = "",
          "Judges the next status; returns the broken LIFE-* rules (empty when legal).")
      .def_property_readonly("history", &lifecycle::Tracker::History)
      .def_property_readonly("terminal", &lifecycle::Tracker::Terminal);
}

// The hub and the mock agencies, in this process.
void BindSimulator(py::module_& m) {
  py::class_<Hub>(m, "Hub", "The national hub's HTTP API, in this process, on loopback.")
      .def(py::init<std::string, int>(), py::arg("host") = "127.0.0.1", py::arg("port") = 0)
      .def("add_system", &Hub::AddSystem, py::arg("system_id"), py::arg("secret"),
           py::arg("agencies"), "Registers a system (its credentials) and the agencies it owns.")
      .def("start", &Hub::Start)
      .def("stop", &Hub::Stop)
      .def_property_readonly("url", &Hub::Url, "e.g. http://127.0.0.1:40123 ('' when stopped)")
      .def_property_readonly("port", &Hub::Port)
      .def_property_readonly("credentials", &Hub::Credentials, "system id -> secret");

  py::class_<Agency>(m, "MockAgency", "A mock agency (reference or a fault profile) on a hub.")
      .def(py::init<std::string, std::string, std::string, std::string, std::string, int, bool>(),
           py::arg("hub_url"), py::arg("system_id"), py::arg("secret"), py::arg("agency_id"),
           py::arg("profile") = "reference", py::arg("poll_ms") = 25, py::arg("progress") = true)
      .def("start", &Agency::Start)
      .def("stop", &Agency::Stop)
      .def_property_readonly("driver_url", &Agency::DriverUrl)
      .def_property_readonly("agency_id", &Agency::agency_id)
      .def(
          "send",
          [](Agency& a, const std::vector<std::string>& to, const std::string& subject) {
            mock::SendRequest r;
            r.to = to;
            r.subject = subject;
            mock::MockAgency& agency = a.Running();
            auto s = Take(WithoutGil([&] { return agency.Send(r); }));
            return py::make_tuple(s.document_id, s.doc_id);
          },
          py::arg("to"), py::arg("subject") = "",
          "Sends a valid signed document; returns (DocumentId, the hub's DocId).")
      .def(
          "documents",
          [](Agency& a) {
            py::list out;
            for (const auto& h : a.Running().Documents()) out.append(HeldDict(h));
            return out;
          },
          "What the agency holds: documents it received and sent, with their statuses.");
}

// Conformance runs, their results and the catalogue.
void BindRuns(py::module_& m) {
  py::class_<Run>(m, "RunResult", "A run of the conformance catalogue.")
      .def_property_readonly("verdict",
                             [](const Run& r) { return std::string(ToString(r.result.verdict)); })
      .def_property_readonly("exit_code", [](const Run& r) { return r.result.exit_code; })
      .def_property_readonly("error", [](const Run& r) { return r.result.error; })
      .def_property_readonly("aborted", [](const Run& r) { return r.result.aborted; })
      .def_property_readonly(
          "interrupted", [](const Run& r) { return r.result.interrupted; },
          "Why the run stopped early (Ctrl-C), or None: its verdict is INCOMPLETE (exit code 4), "
          "the scenarios it did not finish NOT RUN.")
      .def_property_readonly("scenarios",
                             [](const Run& r) {
                               py::list out;
                               for (const auto& s : r.result.scenarios) {
                                 py::dict d;
                                 d["id"] = s.scenario.id;
                                 d["title"] = s.scenario.title;
                                 d["category"] = s.scenario.category;
                                 d["verdict"] = std::string(ToString(s.verdict));
                                 d["reason"] = s.reason;
                                 d["expected_failure"] = s.expected_failure;
                                 d["unexpected_pass"] = s.unexpected_pass;
                                 d["findings"] = s.findings;
                                 d["steps"] = s.steps;
                                 d["replay"] = s.replay;
                                 out.append(d);
                               }
                               return out;
                             })
      .def("to_json", &Run::ToJson, "result.json's text (schema vxpkit-result/1).")
      .def(
          "write",
          [](const Run& r, const std::string& dir, const std::vector<std::string>& formats,
             const std::string& lang) {
            results::RunRecord record =
                harness::MakeRecord(r.result, conformance::Requirements(), VXP_VERSION);
            std::optional<i18n::Lang> language = i18n::ParseLang(lang);
            if (!language) {
              throw py::value_error("lang: \"" + lang + "\" is not one of " + i18n::LangChoices());
            }
            record.lang = *language;
            results::EvidenceFiles evidence = Take(harness::WriteRun(dir, r.result, record));
            std::string list;
            for (const auto& f : formats) list += (list.empty() ? "" : ",") + f;
            if (!formats.empty()) {
              Take(reports::WriteReports(dir, record, evidence, Take(reports::ParseFormats(list))));
            }
          },
          py::arg("dir"), py::arg("formats") = std::vector<std::string>{"html", "junit", "json"},
          py::arg("lang") = "en",
          "Writes result.json, the evidence and the reports into `dir`, the reports in `lang` "
          "(en or vi).");

  m.def(
      "run",
      [](const std::string& sut_json, const std::vector<std::string>& only,
         const std::vector<std::string>& categories, const std::string& profile, std::uint64_t seed,
         bool strict, const std::map<std::string, std::string>& expected,
         const std::optional<std::function<void(const std::string&)>>& progress,
         const std::string& sut_file) {
        auto sut = Take(harness::ParseSutConfig(sut_json));
        return Execute(sut,
                       Options(profile, only, categories, seed, strict, expected, progress,
                               "vxpkit run --sut " + sut_file + " --profile " + profile +
                                   (strict ? " --strict" : "")),
                       std::nullopt);
      },
      py::arg("sut_json"), py::arg("only") = std::vector<std::string>{},
      py::arg("categories") = std::vector<std::string>{}, py::arg("profile") = "certification",
      py::arg("seed") = 1, py::arg("strict") = false,
      py::arg("expected_failures") = std::map<std::string, std::string>{},
      py::arg("progress") = py::none(), py::arg("sut_file") = "SUT");
  m.def(
      "check_sut", [](const std::string& sut_json) { Take(harness::ParseSutConfig(sut_json)); },
      py::arg("sut_json"), "Raises VxpkitError (code config.sut) saying what is wrong.");
  m.def(
      "parse_expected_failures",
      [](const std::string& text) { return Take(harness::ParseExpectedFailures(text)); },
      py::arg("text"),
      "An expected-failures file's text as {scenario ID: reason}; raises VxpkitError "
      "(config.expected) naming a bad line.");
  m.def(
      "demo",
      [](const std::string& fault, const std::vector<std::string>& only,
         const std::vector<std::string>& categories, std::uint64_t seed, bool strict,
         const std::map<std::string, std::string>& expected,
         const std::optional<std::function<void(const std::string&)>>& progress) {
        if (!mock::IsProfile(fault)) {
          Raise(Error{"agency.profile", "unknown fault profile '" + fault + "'"});
        }
        return Execute(harness::DemoSutConfig(),
                       Options("demo", only, categories, seed, strict, expected, progress,
                               "vxpkit demo --fault " + fault + (strict ? " --strict" : "")),
                       fault);
      },
      py::arg("fault") = "reference", py::arg("only") = std::vector<std::string>{},
      py::arg("categories") = std::vector<std::string>{}, py::arg("seed") = 1,
      py::arg("strict") = false,
      py::arg("expected_failures") = std::map<std::string, std::string>{},
      py::arg("progress") = py::none());
  m.def(
      "catalogue",
      [] {
        py::list out;
        for (const auto& s : conformance::Catalogue()) {
          py::dict d;
          d["id"] = s.id;
          d["title"] = s.title;
          d["category"] = s.category;
          d["level"] = std::string(ToString(s.level));
          d["requirements"] = s.requirements;
          d["needs_control"] = s.needs_control;
          out.append(d);
        }
        return out;
      },
      "The scenario catalogue in run order: id, title, category, level, requirements, "
      "needs_control.");
  m.def(
      "profiles",
      [] {
        py::list out;
        for (const auto& p : mock::Profiles()) {
          out.append(py::make_tuple(std::string(p.name), std::string(p.breaks)));
        }
        return out;
      },
      "(name, what it breaks) of the reference agency and each fault profile.");
}

}  // namespace
}  // namespace vxp::python

PYBIND11_MODULE(_vxpkit, m) {
  using namespace vxp;
  using namespace vxp::python;
  m.doc() = "vxpkit's native module; use the package `vxpkit`.";
  m.attr("__version__") = VXP_VERSION;
  ErrorType() = py::reinterpret_borrow<py::object>(
      PyErr_NewExceptionWithDoc("vxpkit.VxpkitError",
                                "A vxpkit library error; `.code` names its kind (e.g. "
                                "'config.sut', 'signing.key').",
                                PyExc_Exception, nullptr));
  m.attr("VxpkitError") = ErrorType();

  BindModel(m);
  BindJudging(m);
  BindSimulator(m);
  BindRuns(m);
}
