#include "service/api/error_text.h"

namespace keyport::api {

ErrorText describe(const Error& e, FieldNames names, std::string_view separator) {
    if (!e.field().empty()) {
        if (separator.empty()) return {e.field(), e.what()};
        return {e.field(), e.field() + std::string(separator) + e.what()};
    }
    const std::string_view field = e.input() == Input::None ? "" : names(e.input());
    if (field.empty()) return {{}, e.what()};
    return {std::string(field), std::string(field) + " " + e.what()};
}

}  // namespace keyport::api
