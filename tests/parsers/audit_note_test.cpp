// audit_note: which text may stand in a record as an object id, and what the readers take
// from route parameters and JSON members (strings of the id shape only, once each).
#include "service/api/audit_note.h"

#include <gtest/gtest.h>

#include "service/api/json.h"

namespace keyport::api {
namespace {

struct IdRow {
    std::string text;
    bool auditable;
};

class AuditableId : public ::testing::TestWithParam<IdRow> {};

TEST_P(AuditableId, ShapeDecides) {
    EXPECT_EQ(auditableId(GetParam().text), GetParam().auditable) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, AuditableId,
    ::testing::Values(IdRow{"0d0466b0-e727-4d9c-b35d-f84bb474a37f", true},
                      IdRow{"alias/my_key:1", true}, IdRow{"KEYPORTDEMOACCESSKEY", true},
                      IdRow{std::string(52, 'a'), true}, IdRow{std::string(255, 'x'), true},
                      IdRow{"", false}, IdRow{std::string(256, 'x'), false}, IdRow{"a b", false},
                      IdRow{"a\"b", false}, IdRow{"a\\b", false}, IdRow{"a\nb", false},
                      IdRow{"caf\xc3\xa9", false}, IdRow{"{x}", false}));

TEST(AuditNote, MembersTakeWellFormedStringsOnce) {
    const JsonBody body =
        JsonBody::parse(R"({"key_id":"k-1","target_key_id":"k-1","grant_id":7,"alias":"bad alias",)"
                        R"("aliases":["a1",3,"a1","a2"],"nested":{"id":"op-1"}})");
    RequestAudit a;
    noteMembers(a, body.root(),
                {{"key_id", "key_id"},
                 {"target_key_id", "key_id"},
                 {"grant_id", "grant_id"},
                 {"alias", "alias"},
                 {"absent", "x"}});
    noteArray(a, body.root(), "aliases", "alias");
    noteMembers(a, member(body.root(), "nested"), {{"id", "operation_id"}});
    noteMembers(a, member(body.root(), "absent"), {{"id", "operation_id"}});
    const std::vector<std::pair<std::string, std::string>> want{
        {"key_id", "k-1"}, {"alias", "a1"}, {"alias", "a2"}, {"operation_id", "op-1"}};
    EXPECT_EQ(a.objects, want);
}

TEST(AuditNote, ParamsAndPrincipal) {
    Request r;
    r.params = {{"key_id", "k-2"}, {"tag_key", "not-an-object"}, {"secret_name", "has space"}};
    noteParams(r, {{"key_id", "key_id"}, {"secret_name", "secret_name"}});
    const std::vector<std::pair<std::string, std::string>> want{{"key_id", "k-2"}};
    EXPECT_EQ(r.audit.objects, want);

    Principal p{"AK1", "dom", "proj", "cn-north-4", Role::ReadOnly};
    notePrincipal(r.audit, p);
    EXPECT_EQ(r.audit.accessKey, "AK1");
    EXPECT_EQ(r.audit.domainId, "dom");
    EXPECT_EQ(r.audit.projectId, "proj");
    EXPECT_EQ(r.audit.role, "readonly");
    noteActingScope(r.audit, p, ProjectScope{"dom", "proj", "cn-north-4"});
    EXPECT_TRUE(r.audit.actingProjectId.empty()) << "its own scope is no acting scope";
    noteActingScope(r.audit, p, ProjectScope{"owner", "owner-proj", "cn-north-4"});
    EXPECT_EQ(r.audit.actingDomainId, "owner");
    EXPECT_EQ(r.audit.actingProjectId, "owner-proj");
}

}  // namespace
}  // namespace keyport::api
