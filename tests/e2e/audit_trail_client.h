// The audit and log e2e tests' caller: one request to the binary's keyportd with our own
// X-Request-Id, the response's headers kept, and readers of the audit trail's request
// records (var/audit/*.log), found by the request id the response echoed.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/kms_client.h"
#include "tests/e2e/server_env.h"

namespace keyport::test {

struct Reply : HttpResult {
    Headers headers;
    std::string requestId;  // the X-Request-Id we sent
    std::optional<std::string> header(const std::string& name) const {
        for (const auto& [n, v] : headers) {
            if (Poco::icompare(n, name) == 0) return v;
        }
        return std::nullopt;
    }
};

inline std::string nextRequestId() {
    static std::atomic<int> n{0};
    return "audit-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(++n);
}

// Sends `headers` as given plus X-Request-Id, and checks the id came back.
inline Reply send(const std::string& method, const std::string& pathAndQuery,
                  const std::string& body, const Headers& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server().port()));
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req(method, pathAndQuery, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [n, v] : headers) req.set(n, v);
    Reply r;
    r.requestId = nextRequestId();
    req.set("X-Request-Id", r.requestId);
    if (!body.empty() || method == "POST" || method == "PUT") {
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    r.status = static_cast<int>(res.getStatus());
    for (const auto& [n, v] : res) r.headers.emplace_back(n, v);
    Poco::StreamCopier::copyToString(in, r.body);
    try {
        auto v = Poco::JSON::Parser().parse(r.body);
        if (v.type() == typeid(Poco::JSON::Object::Ptr))
            r.json = v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    EXPECT_EQ(r.header("X-Request-Id").value_or("(none)"), r.requestId)
        << method << " " << pathAndQuery << ": the request id is echoed";
    return r;
}

inline std::filesystem::path auditDir() {
    return server().dir() / "var" / "audit";
}

// Every line of every file in the audit dir, oldest file first (rotated ones sort before
// the live audit.log only by name; order does not matter to the lookups here).
inline std::vector<std::string> auditLines() {
    std::vector<std::string> lines;
    if (!std::filesystem::exists(auditDir())) return lines;
    for (const auto& e : std::filesystem::directory_iterator(auditDir())) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path());
        std::string line;
        while (std::getline(in, line)) lines.push_back(line);
    }
    return lines;
}

// The request records carrying `requestId` (each line must parse as a JSON object).
inline std::vector<Poco::JSON::Object::Ptr> recordsFor(const std::string& requestId) {
    std::vector<Poco::JSON::Object::Ptr> out;
    for (const auto& line : auditLines()) {
        Poco::JSON::Object::Ptr o;
        try {
            o = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception& e) {
            ADD_FAILURE() << "audit line is not a JSON object: " << line;
            continue;
        }
        if (o->optValue<std::string>("type", "") == "request" &&
            o->optValue<std::string>("request_id", "") == requestId)
            out.push_back(o);
    }
    return out;
}

// Every file under `dir`, whole, as one string per file (for the never-recorded checks).
inline std::vector<std::pair<std::string, std::string>> filesUnder(
    const std::filesystem::path& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        out.emplace_back(e.path().string(), std::move(all));
    }
    return out;
}

}  // namespace keyport::test
