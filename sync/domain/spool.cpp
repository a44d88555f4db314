#include "sync/domain/spool.hpp"

namespace batchivo {

std::string_view to_string(TransactionType t) {
    switch (t) {
        case TransactionType::Purchase: return "purchase";
        case TransactionType::Usage: return "usage";
        case TransactionType::Adjustment: return "adjustment";
        case TransactionType::Return: return "return";
        case TransactionType::Disposal: return "disposal";
    }
    return "usage";
}

std::optional<TransactionType> transaction_type_from_string(std::string_view s) {
    if (s == "purchase") return TransactionType::Purchase;
    if (s == "usage") return TransactionType::Usage;
    if (s == "adjustment") return TransactionType::Adjustment;
    if (s == "return") return TransactionType::Return;
    if (s == "disposal") return TransactionType::Disposal;
    return std::nullopt;
}

}  // namespace batchivo
