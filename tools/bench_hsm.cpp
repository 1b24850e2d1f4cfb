// `keyport bench hsm`: raw token rates with session keys — the yardstick every later
// benchmark is printed beside.
#include <cstdio>

#include "hsm/key_generation.h"
#include "hsm/key_policies.h"
#include "service/core/tokens/region_tokens.h"
#include "tools/bench_hsm.h"
#include "tools/bench_runner.h"
#include "tools/cli_context.h"
#include "tools/commands.h"

namespace keyport::cli {
namespace {

using hsm::Mechanism;
namespace policy = hsm::policy;

// Session keys the benchmark works with, made on the owner session so they outlive any
// pooled session that a failure discards.
struct BenchKeys {
    hsm::KeyPair rsa2048, rsa3072, ecP256;
    hsm::ObjectHandle kek{}, gcm{}, hmac{};
    hsm::Bytes oaep2048, oaep3072, kwp;

    explicit BenchKeys(hsm::Token& token) {
        token.withOwnerSession([&](hsm::Session& s) {
            rsa2048 = hsm::generateRsa(s, policy::probeRsaPublic(2048), policy::probeRsaPrivate());
            rsa3072 = hsm::generateRsa(s, policy::probeRsaPublic(3072), policy::probeRsaPrivate());
            ecP256 = hsm::generateEc(
                s, policy::customerEcPublic(hsm::Persistence::Session, hsm::Curve::P256),
                policy::customerEcPrivate(hsm::Persistence::Session));
            kek = hsm::generateAes(s, 32, policy::ephemeralTransportKey());
            gcm = hsm::generateAes(s, 32, policy::customerAesKey(hsm::Persistence::Session));
            hmac = hsm::generateGenericSecret(s, 32,
                                              policy::customerHmacKey(hsm::Persistence::Session));
            const auto material = hsm::generateAes(s, 32, policy::transientAes(32));
            oaep2048 = s.wrapKey(Mechanism::rsaOaep(hsm::Hash::Sha1), rsa2048.publicKey, material);
            oaep3072 = s.wrapKey(Mechanism::rsaOaep(hsm::Hash::Sha1), rsa3072.publicKey, material);
            kwp = s.wrapKey(Mechanism::aesKeyWrapPad(), kek, material);
            s.destroyObject(material);
            return 0;
        });
    }
};

bench::Operation unwrapOp(hsm::Token& token, const Mechanism& (*mech)(), hsm::ObjectHandle key,
                          const hsm::Bytes& wrapped) {
    auto tmpl =
        std::make_shared<hsm::AttributeTemplate>(policy::customerAesKey(hsm::Persistence::Session));
    return [&token, mech, key, &wrapped, tmpl] {
        auto s = token.session();
        const auto h = s->unwrapKey(mech(), key, wrapped, *tmpl);
        s->destroyObject(h);
    };
}

const Mechanism& oaepSha1() {
    static const Mechanism m = Mechanism::rsaOaep(hsm::Hash::Sha1);
    return m;
}
const Mechanism& kwpMech() {
    static const Mechanism m = Mechanism::aesKeyWrapPad();
    return m;
}

}  // namespace

std::vector<bench::Result> runHsmBench(hsm::Token& token, unsigned threads, double seconds,
                                       bool print) {
    BenchKeys keys(token);
    std::vector<bench::Result> results;
    auto run = [&](const std::string& name, const bench::WorkerFactory& make) {
        results.push_back(bench::run(name, threads, seconds, make));
        if (print) bench::print(results.back());
    };
    if (print) bench::printHeader();

    run("rsa-2048 oaep-sha1 unwrap", [&](unsigned) {
        return unwrapOp(token, oaepSha1, keys.rsa2048.privateKey, keys.oaep2048);
    });
    run("rsa-3072 oaep-sha1 unwrap", [&](unsigned) {
        return unwrapOp(token, oaepSha1, keys.rsa3072.privateKey, keys.oaep3072);
    });
    run("aes-kwp unwrap (aes-256 key)",
        [&](unsigned) { return unwrapOp(token, kwpMech, keys.kek, keys.kwp); });
    run("aes-256-gcm encrypt 1 KiB", [&](unsigned index) -> bench::Operation {
        auto counter = std::make_shared<std::uint64_t>(0);
        auto data = std::make_shared<hsm::Bytes>(1024, 0x5a);
        return [&token, &keys, counter, data, index] {
            std::uint8_t iv[12] = {static_cast<std::uint8_t>(index)};
            const std::uint64_t c = ++*counter;
            for (int i = 0; i < 8; ++i) iv[4 + i] = static_cast<std::uint8_t>(c >> (8 * i));
            auto s = token.session();
            (void)s->encrypt(Mechanism::aesGcm(iv, {}), keys.gcm, *data);
        };
    });
    run("hmac-sha256 sign 64 B", [&](unsigned) -> bench::Operation {
        auto data = std::make_shared<hsm::Bytes>(64, 0x11);
        return [&token, &keys, data] {
            static const Mechanism m = Mechanism::hmacSha256();
            auto s = token.session();
            (void)s->sign(m, keys.hmac, *data);
        };
    });
    run("ecdsa-p256 sign", [&](unsigned) -> bench::Operation {
        auto digest = std::make_shared<hsm::Bytes>(32, 0x22);
        return [&token, &keys, digest] {
            static const Mechanism m = Mechanism::ecdsa();
            auto s = token.session();
            (void)s->sign(m, keys.ecP256.privateKey, *digest);
        };
    });
    run("rsa-2048 key generation", [&](unsigned) -> bench::Operation {
        auto pub = std::make_shared<hsm::AttributeTemplate>(
            policy::customerRsaPublic(hsm::Persistence::Session, 2048));
        auto priv = std::make_shared<hsm::AttributeTemplate>(
            policy::customerRsaPrivate(hsm::Persistence::Session));
        return [&token, pub, priv] {
            auto s = token.session();
            const auto kp = hsm::generateRsa(*s, *pub, *priv);
            s->destroyObject(kp.privateKey);
            s->destroyObject(kp.publicKey);
        };
    });

    token.withOwnerSession([&](hsm::Session& s) {
        for (auto h : {keys.rsa2048.publicKey, keys.rsa2048.privateKey, keys.rsa3072.publicKey,
                       keys.rsa3072.privateKey, keys.ecP256.publicKey, keys.ecP256.privateKey,
                       keys.kek, keys.gcm, keys.hmac}) {
            s.destroyObjectNoThrow(h);
        }
        return 0;
    });
    return results;
}

int benchHsm(const Argv& argv) {
    Args args(argv, {"config", "define", "region", "threads", "seconds"}, {});
    auto ctx = CliContext::open(args);
    const std::string region = args.get("region", ctx.config.regions.front().name);
    const unsigned threads = static_cast<unsigned>(args.number("threads", 2, 1, 256));
    const double seconds = static_cast<double>(args.number("seconds", 2, 1, 3600));
    RegionTokens tokens(ctx.config, *ctx.module);
    hsm::Token& token = tokens.token(region);
    std::printf("keyport bench hsm: region %s, token %s, module %s\n", region.c_str(),
                token.label().c_str(), ctx.module->path().c_str());
    std::printf(
        "%u threads, %.0f s per operation, session-object keys, one pooled session per op\n\n",
        threads, seconds);
    const auto results = runHsmBench(token, threads, seconds, true);
    for (const auto& r : results) {
        if (r.errors > 0) return 1;
    }
    return 0;
}

}  // namespace keyport::cli
