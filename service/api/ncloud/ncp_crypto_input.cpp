#include "service/api/ncloud/ncp_crypto_input.h"

#include "service/core/base/encoding.h"

namespace keyport::api::ncloud {

Items readItems(const JsonBody& body, const std::string& field) {
    if (!body.has(field)) throw Error(ErrorCode::MissingParameter, "is required", field);
    const Poco::Dynamic::Var v = body.root()->get(field);
    Items items;
    if (v.isString()) {
        items.values.push_back(SecretText{v.extract<std::string>()});
        return items;
    }
    auto array = body.root()->getArray(field);
    if (!array)
        throw Error(ErrorCode::InvalidParameter, "must be a string or an array of strings", field);
    if (array->size() == 0 || array->size() > kMaxItems) {
        throw Error(ErrorCode::InvalidParameter,
                    "must hold 1 to " + std::to_string(kMaxItems) + " items", field);
    }
    items.isArray = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString()) {
            throw Error(ErrorCode::InvalidParameter,
                        "item " + std::to_string(i) + " is not a string", field);
        }
        items.values.push_back(SecretText{item.extract<std::string>()});
    }
    return items;
}

ContextBytes readContext(const JsonBody& body) {
    ContextBytes c;
    const auto text = body.optString("context");
    if (!text || text->empty()) return c;
    auto decoded = base64DecodeSecret(*text);
    if (!decoded)
        throw Error(ErrorCode::InvalidParameter, "must be base64", Input::EncryptionContext);
    if (decoded->size() > kMaxContextBytes) {
        throw Error(ErrorCode::InvalidParameter,
                    "must be at most " + std::to_string(kMaxContextBytes) + " bytes",
                    Input::EncryptionContext);
    }
    c.decoded = std::move(*decoded);
    c.bytes = std::as_const(c.decoded).reveal();
    return c;
}

}  // namespace keyport::api::ncloud
