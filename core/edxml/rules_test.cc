#include "core/edxml/rules.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "core/edxml/samples.h"
#include "core/edxml/validate.h"

namespace vxp::edxml {
namespace {

RuleOptions Options() {
  RuleOptions o;
  o.today = Date{2026, 11, 21};
  return o;
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) ids.push_back(f.rule_id);
  return ids;
}

TEST(RulesTest, SamplesPassEveryRule) {
  EXPECT_EQ(Ids(CheckRules(samples::Document(), Options())), std::vector<std::string>{});
  for (int t = 1; t <= 3; ++t) {
    EXPECT_EQ(Ids(CheckRules(samples::BusinessDocument(t), Options())), std::vector<std::string>{})
        << "business type " << t;
  }
  for (const char* c : {"01", "02", "03", "04", "05", "06", "13", "15", "16"}) {
    EXPECT_EQ(Ids(CheckRules(samples::Status(c), Options())), std::vector<std::string>{}) << c;
  }
}

// One violation per case: the mutated sample must produce exactly `rule` (and nothing else).
struct Case {
  std::string rule;
  std::string name;
  std::function<Package()> make;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.rule << " (" << c.name << ")"; }

DocumentHeader& Doc(Package& p) { return *p.document(); }
StatusHeader& St(Package& p) { return *p.status(); }

Package Mutate(Package p, const std::function<void(Package&)>& f) {
  f(p);
  return p;
}
Package D(const std::function<void(Package&)>& f) { return Mutate(samples::Document(), f); }
Package B(int type, const std::function<void(Package&)>& f) {
  return Mutate(samples::BusinessDocument(type), f);
}
Package S(const char* code, const std::function<void(Package&)>& f) {
  return Mutate(samples::Status(code), f);
}
Business& Bus(Package& p) { return *p.trace_header_list->business; }

std::vector<Case> Cases() {
  const std::string long_text(600, 'a');
  return {
      {"EDXML-ORG-NAME", "empty From/OrganName",
       [] { return D([](Package& p) { Doc(p).from.organ_name = " "; }); }},
      {"EDXML-ORG-EMAIL", "bad e-mail",
       [] { return D([](Package& p) { Doc(p).from.email = "vanthu at tayninh"; }); }},
      {"EDXML-ORG-LENGTH", "long OrganName",
       [=] { return D([=](Package& p) { Doc(p).to[0].organ_name = long_text; }); }},
      {"EDXML-HDR-1.2-TO-DUP", "duplicate To",
       [] { return D([](Package& p) { Doc(p).to.push_back(Doc(p).to[0]); }); }},
      {"EDXML-HDR-1.3-CODE", "empty CodeNotation",
       [] {
         return D([](Package& p) {
           Doc(p).code.code_notation = "";
           Doc(p).document_id = "000.00.00.G22,2026/11/20,7816/";
         });
       }},
      {"EDXML-HDR-1.3-LENGTH", "long CodeNumber",
       [] {
         return D([](Package& p) {
           Doc(p).code.code_number = "123456789012";
           Doc(p).document_id = "000.00.00.G22,2026/11/20,123456789012/VPCP-TTĐT";
         });
       }},
      {"EDXML-HDR-1.4-DATE", "ISO date",
       [] {
         return D([](Package& p) { Doc(p).promulgation_info.promulgation_date = "2026-11-20"; });
       }},
      {"EDXML-HDR-1.4-FUTURE", "future date",
       [] {
         return D([](Package& p) {
           Doc(p).promulgation_info.promulgation_date = "2026/11/22";
           Doc(p).document_id = "000.00.00.G22,2026/11/22,7816/VPCP-TTĐT";
         });
       }},
      {"EDXML-HDR-1.4-LENGTH", "long Place",
       [=] { return D([=](Package& p) { Doc(p).promulgation_info.place = long_text; }); }},
      {"EDXML-HDR-1.5-TYPE", "Type 5",
       [] { return D([](Package& p) { Doc(p).document_type.type = "5"; }); }},
      {"EDXML-HDR-1.5-TYPE", "TypeDetail not integer",
       [] { return D([](Package& p) { Doc(p).document_type.type_detail = "hai"; }); }},
      {"EDXML-HDR-1.5-LENGTH", "long TypeName",
       [=] { return D([=](Package& p) { Doc(p).document_type.type_name = long_text; }); }},
      {"EDXML-HDR-1.6-SUBJECT", "blank Subject",
       [] { return D([](Package& p) { Doc(p).subject = " \n"; }); }},
      {"EDXML-HDR-1.6-LENGTH", "long Subject",
       [=] { return D([=](Package& p) { Doc(p).subject = long_text; }); }},
      {"EDXML-HDR-1.7-LENGTH", "long Content",
       [=] { return D([=](Package& p) { Doc(p).content = long_text; }); }},
      {"EDXML-HDR-1.8-SIGNER", "empty FullName",
       [] { return D([](Package& p) { Doc(p).signer_info.full_name = ""; }); }},
      {"EDXML-HDR-1.8-LENGTH", "long Competence",
       [=] { return D([=](Package& p) { Doc(p).signer_info.competence = long_text; }); }},
      {"EDXML-HDR-1.9-DUEDATE", "dd/MM/yyyy DueDate",
       [] { return D([](Package& p) { Doc(p).due_date = "31/12/2026"; }); }},
      {"EDXML-HDR-1.10-LENGTH", "long Place",
       [=] { return D([=](Package& p) { Doc(p).to_places->push_back(long_text); }); }},
      {"EDXML-HDR-1.11-PRIORITY", "Priority 7",
       [] { return D([](Package& p) { Doc(p).other_info->priority = "7"; }); }},
      {"EDXML-HDR-1.11-AMOUNTS", "PageAmount 70000",
       [] { return D([](Package& p) { Doc(p).other_info->page_amount = "70000"; }); }},
      {"EDXML-HDR-1.11-AMOUNTS", "negative PromulgationAmount",
       [] { return D([](Package& p) { Doc(p).other_info->promulgation_amount = "-1"; }); }},
      {"EDXML-HDR-1.11-DIRECTION", "Direction yes",
       [] { return D([](Package& p) { Doc(p).other_info->direction = "yes"; }); }},
      {"EDXML-HDR-1.11-LENGTH", "long TyperNotation",
       [] { return D([](Package& p) { Doc(p).other_info->typer_notation = "ABCDEFGHIJK"; }); }},
      {"EDXML-HDR-1.12-RESPONSEFOR", "empty DocumentId",
       [] {
         return D([](Package& p) {
           Doc(p).response_for.push_back({"000.00.00.H53", "1/X", "2026/11/01", ""});
         });
       }},
      {"EDXML-HDR-1.13-STEERING", "SteeringType 9",
       [] { return D([](Package& p) { Doc(p).steering_type = "9"; }); }},
      {"EDXML-HDR-1.14-DOCID", "empty DocumentId",
       [] { return D([](Package& p) { Doc(p).document_id = ""; }); }},
      {"EDXML-HDR-1.14-DOCID-FORM", "UUID DocumentId",
       [] {
         return D([](Package& p) { Doc(p).document_id = "3f1c2a7e-0b7d-4b52-9a55-4c1c3c1f2e11"; });
       }},
      {"EDXML-HDR-1.14-DOCID-CONSISTENT", "DocumentId of another issuer",
       [] {
         return D(
             [](Package& p) { Doc(p).document_id = "000.00.00.H41,2026/11/20,7816/VPCP-TTĐT"; });
       }},
      {"EDXML-TRACE-3-PRESENT", "no TraceHeaderList",
       [] { return D([](Package& p) { p.trace_header_list.reset(); }); }},
      {"EDXML-TRACE-3-TIMESTAMP", "ISO timestamp",
       [] {
         return D([](Package& p) {
           p.trace_header_list->trace_headers[0].timestamp = "2026-11-20T08:30:00";
         });
       }},
      {"EDXML-BUS-3-TYPE", "BussinessDocType 4",
       [] { return B(1, [](Package& p) { Bus(p).business_doc_type = "4"; }); }},
      {"EDXML-BUS-3-TARGET", "update without target",
       [] { return B(2, [](Package& p) { Bus(p).document_id.reset(); }); }},
      {"EDXML-BUS-3-REVOKE", "revoke without ResponseFor",
       [] { return B(1, [](Package& p) { Doc(p).response_for.clear(); }); }},
      {"EDXML-BUS-3-UPDATE", "update without info",
       [] { return B(2, [](Package& p) { Bus(p).business_document_info.reset(); }); }},
      {"EDXML-BUS-3-UPDATE", "ReceiverType 2",
       [] {
         return B(2, [](Package& p) {
           (*Bus(p).business_document_info->receiver_list)[0].receiver_type = "2";
         });
       }},
      {"EDXML-BUS-3-UPDATE", "recipients changed, none listed",
       [] {
         return B(2, [](Package& p) { Bus(p).business_document_info->receiver_list.reset(); });
       }},
      {"EDXML-BUS-3-REPLACE", "replace without list",
       [] { return B(3, [](Package& p) { Bus(p).replacement_info_list.reset(); }); }},
      {"EDXML-BUS-3-REPLACE", "ReplacementInfo without OrganId",
       [] {
         return B(3, [](Package& p) { (*Bus(p).replacement_info_list)[0].organ_ids.clear(); });
       }},
      {"EDXML-BUS-3-PAPER", "Paper yes",
       [] { return B(1, [](Package& p) { Bus(p).paper = "yes"; }); }},
      {"EDXML-BUS-3-REASON", "revoke without reason",
       [] { return B(1, [](Package& p) { Bus(p).business_doc_reason.reset(); }); }},
      {"EDXML-4-STATUS-CODE", "StatusCode 3",
       [] { return S("03", [](Package& p) { St(p).status_code = "3"; }); }},
      {"EDXML-4-STATUS-CODE", "StatusCode 07",
       [] { return S("03", [](Package& p) { St(p).status_code = "07"; }); }},
      {"EDXML-4-STATUS-REASON", "02 without reason",
       [] { return S("02", [](Package& p) { St(p).description.reset(); }); }},
      {"EDXML-4-STATUS-REASON", "13 with blank reason",
       [] { return S("13", [](Package& p) { St(p).description = " "; }); }},
      {"EDXML-4-STATUS-REASON", "16 without reason",
       [] { return S("16", [](Package& p) { St(p).description.reset(); }); }},
      {"EDXML-4-STATUS-TIMESTAMP", "bad timestamp",
       [] { return S("01", [](Package& p) { St(p).timestamp = "21/11/2026 08:00"; }); }},
      {"EDXML-4-STATUS-RESPONSEFOR", "empty DocumentId",
       [] { return S("01", [](Package& p) { St(p).response_for.document_id = ""; }); }},
      {"EDXML-4-STATUS-CODE-FORM", "Code without notation",
       [] { return S("01", [](Package& p) { St(p).response_for.code = "7816"; }); }},
      {"EDXML-4-STATUS-EXTRA", "status with attachments",
       [] { return S("01", [](Package& p) { p.attachments = samples::Document().attachments; }); }},
      {"EDXML-ATT-6-MATCH", "reference without attachment",
       [] {
         return D([](Package& p) {
           p.manifest->references.push_back(
               {"cid:file2", "application/pdf", std::nullopt, "b.pdf", std::nullopt});
         });
       }},
      {"EDXML-ATT-6-MATCH", "two attachments for one reference",
       [] { return D([](Package& p) { p.attachments.push_back(p.attachments[0]); }); }},
      {"EDXML-ATT-6-ORPHAN", "unreferenced attachment",
       [] {
         return D([](Package& p) {
           p.attachments.push_back(p.attachments[0]);
           p.attachments[1].content_id = "file9";
         });
       }},
      {"EDXML-ATT-6-BASE64", "not base64",
       [] { return D([](Package& p) { p.attachments[0].content_base64 = "JVBERi0%"; }); }},
      {"EDXML-ATT-6-CID", "reference without cid:",
       [] { return D([](Package& p) { p.manifest->references[0].content_id = "file1"; }); }},
      {"EDXML-ATT-6-NAME", "attachment without name",
       [] { return D([](Package& p) { p.attachments[0].attachment_name.reset(); }); }},
      {"EDXML-ATT-6-VERSION", "manifest version 2.0",
       [] { return D([](Package& p) { p.manifest->version = "2.0"; }); }},
      {"EDXML-ATT-6-HREF", "href disagrees",
       [] { return D([](Package& p) { p.manifest->references[0].href = "cid:other"; }); }},
      {"AGENCY-5-FORMAT", "legacy To/OrganId",
       [] { return D([](Package& p) { Doc(p).to[0].organ_id = "28.22.H17"; }); }},
      {"AGENCY-5-EMPTY", "empty status From/OrganId",
       [] { return S("03", [](Package& p) { St(p).from.organ_id = ""; }); }},
      {"AGENCY-5-GAP", "gap in a Receiver",
       [] {
         return B(2, [](Package& p) {
           (*Bus(p).business_document_info->receiver_list)[0].organ_id = "000.12.00.H41";
         });
       }},
  };
}

class RuleCaseTest : public testing::TestWithParam<Case> {};

TEST_P(RuleCaseTest, ViolationIsReportedUnderItsOwnRuleId) {
  const Case& c = GetParam();
  auto findings = CheckRules(c.make(), Options());
  ASSERT_EQ(Ids(findings), std::vector<std::string>{c.rule}) << c.name;
  EXPECT_FALSE(findings[0].message.empty());
  EXPECT_FALSE(findings[0].location.path.empty());
}

INSTANTIATE_TEST_SUITE_P(AllRules, RuleCaseTest, testing::ValuesIn(Cases()),
                         [](const testing::TestParamInfo<Case>& info) {
                           std::string n = info.param.rule + "_" + std::to_string(info.index);
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

// Interop rules are reported only in lenient mode; in strict mode the same package breaks the
// standard's rule (the second ID).
struct InteropCase {
  std::string rule, strict_rule, name;
  std::function<Package()> make;
};
std::vector<InteropCase> InteropCases() {
  return {
      {"EDXML-INTEROP-EMPTY-ELEMENT", "EDXML-HDR-1.9-DUEDATE", "empty DueDate",
       [] { return D([](Package& p) { Doc(p).due_date = ""; }); }},
      {"EDXML-INTEROP-EMPTY-ELEMENT", "EDXML-HDR-1.13-STEERING", "empty SteeringType",
       [] { return D([](Package& p) { Doc(p).steering_type = " "; }); }},
      {"EDXML-INTEROP-REVOKE-TARGET", "EDXML-BUS-3-TARGET", "revoke named in ResponseFor only",
       [] { return B(1, [](Package& p) { Bus(p).document_id.reset(); }); }},
  };
}

TEST(RulesTest, InteropRulesWarnInLenientModeOnly) {
  for (const InteropCase& c : InteropCases()) {
    RuleOptions lenient = Options();
    lenient.strictness = Strictness::kLenient;
    auto warned = CheckRules(c.make(), lenient);
    ASSERT_EQ(Ids(warned), std::vector<std::string>{c.rule}) << c.name;
    EXPECT_EQ(warned[0].verdict, Verdict::kWarn) << c.name;
    auto strict = CheckRules(c.make(), Options());
    EXPECT_TRUE(HasRule(strict, c.strict_rule)) << c.name;
    EXPECT_FALSE(HasRule(strict, c.rule)) << c.name;
    EXPECT_EQ(Worst(strict), Verdict::kFail) << c.name;
  }
}

TEST(RulesTest, EveryPackageRuleHasAFailingCase) {
  std::set<std::string> covered;
  for (const Case& c : Cases()) covered.insert(c.rule);
  for (const InteropCase& c : InteropCases()) covered.insert(c.rule);
  for (const RuleInfo& r : PackageRules()) {
    EXPECT_TRUE(covered.contains(std::string(r.id))) << r.id << " has no failing test case";
  }
}

TEST(RulesTest, RuleIdsAreUniqueAndCiteAClause) {
  std::set<std::string_view> ids;
  for (const RuleInfo& r : AllRules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule ID " << r.id;
    EXPECT_FALSE(r.clause.empty()) << r.id;
    EXPECT_FALSE(r.summary.empty()) << r.id;
    EXPECT_FALSE(r.example.empty()) << r.id;
  }
}

TEST(RulesTest, LenientModeWarnsOnLegacyIdentifiers) {
  Package p = samples::Document();
  Doc(p).to[0].organ_id = "000.1137.H53";
  RuleOptions o = Options();
  o.strictness = Strictness::kLenient;
  auto findings = CheckRules(p, o);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "AGENCY-5-FORMAT");
  EXPECT_EQ(findings[0].verdict, Verdict::kWarn);
  EXPECT_EQ(CheckRules(p, Options())[0].verdict, Verdict::kFail);
}

TEST(RulesTest, FutureRuleNeedsAToday) {
  Package p = samples::Document();
  RuleOptions o;  // no today: the rule cannot be judged, so it is not
  Doc(p).promulgation_info.promulgation_date = "2099/01/01";
  Doc(p).document_id = "000.00.00.G22,2099/01/01,7816/VPCP-TTĐT";
  EXPECT_TRUE(CheckRules(p, o).empty());
}

TEST(RulesTest, SteeringRangeIsASetting) {
  Package p = samples::Document();
  Doc(p).steering_type = "0";
  RuleOptions o = Options();
  EXPECT_TRUE(CheckRules(p, o).empty());
  o.steering_min = 1;
  EXPECT_EQ(Ids(CheckRules(p, o)), std::vector<std::string>{"EDXML-HDR-1.13-STEERING"});
}

}  // namespace
}  // namespace vxp::edxml
