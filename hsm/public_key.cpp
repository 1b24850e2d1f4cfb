#include "hsm/public_key.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "hsm/error.h"
#include "hsm/key_policies.h"
#include "hsm/openssl_util.h"

namespace hsm {
namespace {

Bytes required(Session& s, ObjectHandle key, CK_ATTRIBUTE_TYPE type, const char* name) {
    auto v = s.attribute(key, type);
    if (!v || v->empty()) throw Error(std::string("key has no readable ") + name);
    return *v;
}

Bytes toSpki(EVP_PKEY* pkey) {
    const int len = i2d_PUBKEY(pkey, nullptr);
    ossl::check(len > 0, "i2d_PUBKEY");
    Bytes out(static_cast<std::size_t>(len));
    unsigned char* p = out.data();
    ossl::check(i2d_PUBKEY(pkey, &p) == len, "i2d_PUBKEY");
    return out;
}

ossl::PKey fromData(const char* type, OSSL_PARAM_BLD* bld) {
    ossl::Params params(OSSL_PARAM_BLD_to_param(bld));
    ossl::check(params != nullptr, "OSSL_PARAM_BLD_to_param");
    ossl::PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    ossl::check(ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1, "EVP_PKEY_fromdata_init");
    EVP_PKEY* raw = nullptr;
    ossl::check(EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) == 1,
                "EVP_PKEY_fromdata");
    return ossl::PKey(raw);
}

Bytes rsaSpki(Session& s, ObjectHandle key) {
    const Bytes n = required(s, key, CKA_MODULUS, "CKA_MODULUS");
    const Bytes e = required(s, key, CKA_PUBLIC_EXPONENT, "CKA_PUBLIC_EXPONENT");
    ossl::Bn bn(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
    ossl::Bn be(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr));
    ossl::ParamBld bld(OSSL_PARAM_BLD_new());
    ossl::check(bn && be && bld, "BN_bin2bn");
    ossl::check(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) == 1 &&
                    OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()) == 1,
                "OSSL_PARAM_BLD_push_BN");
    auto pkey = fromData("RSA", bld.get());
    return toSpki(pkey.get());
}

struct CurveInfo {
    int nid;
    const char* groupName;
};

CurveInfo curveFromParams(const Bytes& params) {
    for (Curve c : {Curve::P256, Curve::P384}) {
        ByteView oid = curveParams(c);
        if (params.size() == oid.size() && std::equal(oid.begin(), oid.end(), params.begin())) {
            return c == Curve::P256 ? CurveInfo{NID_X9_62_prime256v1, "prime256v1"}
                                    : CurveInfo{NID_secp384r1, "secp384r1"};
        }
    }
    throw Error("EC key on an unsupported curve");
}

// CKA_EC_POINT is a DER OCTET STRING around the uncompressed point; some modules give the
// raw point. Accept both.
Bytes unwrapEcPoint(const Bytes& attr) {
    if (attr.size() > 2 && attr[0] == 0x04) {
        std::size_t len = attr[1];
        std::size_t header = 2;
        if (len == 0x81 && attr.size() > 3) {
            len = attr[2];
            header = 3;
        }
        if (header + len == attr.size() && len > 0 && attr[header] == 0x04) {
            return Bytes(attr.begin() + static_cast<long>(header), attr.end());
        }
    }
    return attr;
}

// Candidate public points Q = r^-1 (s R - e G) for both parities of R.
std::vector<Bytes> recoverCandidates(const EC_GROUP* group, ByteView digest, ByteView sig,
                                     BN_CTX* ctx) {
    const std::size_t half = sig.size() / 2;
    ossl::Bn r(BN_bin2bn(sig.data(), static_cast<int>(half), nullptr));
    ossl::Bn sv(BN_bin2bn(sig.data() + half, static_cast<int>(half), nullptr));
    ossl::Bn e(BN_bin2bn(digest.data(), static_cast<int>(digest.size()), nullptr));
    ossl::Bn rinv(BN_new()), u1(BN_new()), u2(BN_new()), zero(BN_new());
    ossl::check(r && sv && e && rinv && u1 && u2 && zero, "BN_new");
    const BIGNUM* n = EC_GROUP_get0_order(group);
    BN_zero(zero.get());
    ossl::check(BN_mod_inverse(rinv.get(), r.get(), n, ctx) != nullptr, "BN_mod_inverse");
    // u1 = -e * r^-1 mod n, u2 = s * r^-1 mod n
    ossl::check(BN_mod_mul(u1.get(), e.get(), rinv.get(), n, ctx) == 1 &&
                    BN_mod_sub(u1.get(), zero.get(), u1.get(), n, ctx) == 1 &&
                    BN_mod_mul(u2.get(), sv.get(), rinv.get(), n, ctx) == 1,
                "BN_mod_mul");
    std::vector<Bytes> out;
    for (int yBit = 0; yBit < 2; ++yBit) {
        ossl::EcPoint rPoint(EC_POINT_new(group)), q(EC_POINT_new(group));
        ossl::check(rPoint && q, "EC_POINT_new");
        if (EC_POINT_set_compressed_coordinates(group, rPoint.get(), r.get(), yBit, ctx) != 1) {
            ERR_clear_error();
            continue;
        }
        ossl::check(EC_POINT_mul(group, q.get(), u1.get(), rPoint.get(), u2.get(), ctx) == 1,
                    "EC_POINT_mul");
        Bytes enc(1 + 2 * 66);
        const std::size_t len = EC_POINT_point2oct(group, q.get(), POINT_CONVERSION_UNCOMPRESSED,
                                                   enc.data(), enc.size(), ctx);
        ossl::check(len > 0, "EC_POINT_point2oct");
        enc.resize(len);
        out.push_back(std::move(enc));
    }
    return out;
}

Bytes recoverEcPoint(Session& s, ObjectHandle key, int nid) {
    ossl::EcGroup group(EC_GROUP_new_by_curve_name(nid));
    ossl::BnCtx ctx(BN_CTX_new());
    ossl::check(group && ctx, "EC_GROUP_new_by_curve_name");
    const std::size_t orderBytes =
        static_cast<std::size_t>(BN_num_bytes(EC_GROUP_get0_order(group.get())));
    std::vector<Bytes> common;
    for (int round = 0; round < 2; ++round) {
        const Bytes digest = s.random(orderBytes);
        const Bytes sig = s.sign(Mechanism::ecdsa(), key, digest);
        if (sig.size() != 2 * orderBytes) throw Error("unexpected ECDSA signature length");
        auto candidates = recoverCandidates(group.get(), digest, sig, ctx.get());
        if (round == 0) {
            common = std::move(candidates);
        } else {
            std::erase_if(common, [&](const Bytes& c) {
                return std::find(candidates.begin(), candidates.end(), c) == candidates.end();
            });
        }
    }
    if (common.size() != 1) throw Error("could not recover the EC public key");
    return common.front();
}

Bytes ecSpki(Session& s, ObjectHandle key, CK_OBJECT_CLASS cls) {
    const CurveInfo curve = curveFromParams(required(s, key, CKA_EC_PARAMS, "CKA_EC_PARAMS"));
    const Bytes point = cls == CKO_PUBLIC_KEY
                            ? unwrapEcPoint(required(s, key, CKA_EC_POINT, "CKA_EC_POINT"))
                            : recoverEcPoint(s, key, curve.nid);
    ossl::ParamBld bld(OSSL_PARAM_BLD_new());
    ossl::check(bld != nullptr, "OSSL_PARAM_BLD_new");
    ossl::check(OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                                curve.groupName, 0) == 1 &&
                    OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                                     point.data(), point.size()) == 1,
                "OSSL_PARAM_BLD_push");
    auto pkey = fromData("EC", bld.get());
    return toSpki(pkey.get());
}

}  // namespace

Bytes publicKeySpki(Session& s, ObjectHandle key) {
    const auto cls = static_cast<CK_OBJECT_CLASS>(s.ulongAttribute(key, CKA_CLASS));
    const auto type = static_cast<CK_KEY_TYPE>(s.ulongAttribute(key, CKA_KEY_TYPE));
    if (cls != CKO_PUBLIC_KEY && cls != CKO_PRIVATE_KEY) throw Error("not an asymmetric key");
    if (type == CKK_RSA) return rsaSpki(s, key);
    if (type == CKK_EC) return ecSpki(s, key, cls);
    throw Error("public key export supports RSA and EC keys only");
}

ObjectHandle createRsaPublic(Session& session, ByteView spkiDer, AttributeTemplate tmpl) {
    const unsigned char* p = spkiDer.data();
    ossl::PKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spkiDer.size())));
    if (!key || !EVP_PKEY_is_a(key.get(), "RSA")) throw Error("not an RSA SubjectPublicKeyInfo");
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    ossl::check(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n) == 1, "RSA modulus");
    ossl::Bn modulus(n);
    ossl::check(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e) == 1, "RSA exponent");
    ossl::Bn exponent(e);
    Bytes nb(static_cast<std::size_t>(BN_num_bytes(modulus.get())));
    Bytes eb(static_cast<std::size_t>(BN_num_bytes(exponent.get())));
    BN_bn2bin(modulus.get(), nb.data());
    BN_bn2bin(exponent.get(), eb.data());
    tmpl.set(CKA_MODULUS, ByteView(nb)).set(CKA_PUBLIC_EXPONENT, ByteView(eb));
    return session.createObject(tmpl);
}

}  // namespace hsm
