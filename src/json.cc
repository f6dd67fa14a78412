// JSON on RapidJSON's DOM (docs/design-notes.md, "JSON": chosen over nlohmann-json by size and
// instructions). RapidJSON reports errors as codes and needs no exceptions.
#include "coproxy/json.h"

#include <cmath>
#include <cstring>

// A check RapidJSON makes of its caller (reading a value as the wrong type, say): the readers
// here test types first, so it fails only on a bug, which then traps rather than pulling
// assert's stdio imports into every module.
#define RAPIDJSON_ASSERT(x) (static_cast<bool>(x) ? static_cast<void>(0) : __builtin_trap())

#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace coproxy {
namespace {

using RValue = rapidjson::Value;

const RValue* raw(const void* value) { return static_cast<const RValue*>(value); }

std::string quoted(std::string_view text) {
  std::string out = "\"";
  if (text.size() > 40) {
    out.append(text.substr(0, 37)).append("...");
  } else {
    out.append(text);
  }
  return out + "\"";
}

// For an error message: integers exactly, other numbers to 6 significant digits or so (no
// shortest-form printing: that would bring RapidJSON's Grisu tables into every module).
std::string number_text(const RValue& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  double d = v.GetDouble();
  std::string out = d < 0 ? "-" : "";
  d = std::fabs(d);
  int exponent = 0;
  while (d >= 1e6) {
    d /= 10;
    ++exponent;
  }
  while (d != 0 && d < 1e5) {
    d *= 10;
    --exponent;
  }
  // d now holds the 6 leading digits; print them with the decimal point where it belongs.
  std::string digits = std::to_string(static_cast<int64_t>(std::llround(d)));
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (exponent >= 0 && digits.size() + exponent <= 15) {
    return out + digits + std::string(exponent, '0');
  }
  const int point = static_cast<int>(digits.size()) + exponent;  // digits before the point
  if (point > 0 && point < static_cast<int>(digits.size())) {
    return out + digits.substr(0, point) + "." + digits.substr(point);
  }
  if (point <= 0 && point > -6) return out + "0." + std::string(-point, '0') + digits;
  const std::string fraction = digits.size() > 1 ? "." + digits.substr(1) : "";
  return out + digits.substr(0, 1) + fraction + "e" + std::to_string(point - 1);
}

// Line and column (from 1) of byte `offset` in `text`.
std::string position(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

// ---- JsonValue ----

JsonType JsonValue::type() const {
  if (!value_) return JsonType::Missing;
  switch (raw(value_)->GetType()) {
    case rapidjson::kNullType: return JsonType::Null;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return JsonType::Bool;
    case rapidjson::kObjectType: return JsonType::Object;
    case rapidjson::kArrayType: return JsonType::Array;
    case rapidjson::kStringType: return JsonType::String;
    case rapidjson::kNumberType: return JsonType::Number;
  }
  return JsonType::Missing;
}

std::optional<bool> JsonValue::boolean() const {
  if (!value_ || !raw(value_)->IsBool()) return std::nullopt;
  return raw(value_)->GetBool();
}

std::optional<int64_t> JsonValue::integer() const {
  if (!value_ || !raw(value_)->IsInt64()) return std::nullopt;
  return raw(value_)->GetInt64();
}

std::optional<uint64_t> JsonValue::unsigned_integer() const {
  if (!value_ || !raw(value_)->IsUint64()) return std::nullopt;
  return raw(value_)->GetUint64();
}

std::optional<double> JsonValue::number() const {
  if (!value_ || !raw(value_)->IsNumber()) return std::nullopt;
  return raw(value_)->GetDouble();
}

std::optional<std::string_view> JsonValue::string() const {
  if (!value_ || !raw(value_)->IsString()) return std::nullopt;
  return std::string_view(raw(value_)->GetString(), raw(value_)->GetStringLength());
}

JsonValue JsonValue::operator[](std::string_view key) const {
  if (!value_ || !raw(value_)->IsObject()) return JsonValue();
  for (const auto& member : raw(value_)->GetObject()) {
    if (std::string_view(member.name.GetString(), member.name.GetStringLength()) == key) {
      return JsonValue(&member.value);
    }
  }
  return JsonValue();
}

JsonValue JsonValue::operator[](size_t index) const {
  if (!value_ || !raw(value_)->IsArray() || index >= raw(value_)->Size()) return JsonValue();
  return JsonValue(&(*raw(value_))[static_cast<rapidjson::SizeType>(index)]);
}

size_t JsonValue::size() const {
  if (!value_) return 0;
  if (raw(value_)->IsArray()) return raw(value_)->Size();
  if (raw(value_)->IsObject()) return raw(value_)->MemberCount();
  return 0;
}

JsonMembers JsonValue::members() const {
  return JsonMembers(value_, is_object() ? size() : 0);
}

JsonElements JsonValue::elements() const {
  return JsonElements(value_, is_array() ? size() : 0);
}

JsonMember JsonMembers::iterator::operator*() const {
  const auto& member = *(raw(object_)->MemberBegin() + static_cast<ptrdiff_t>(index_));
  return {std::string_view(member.name.GetString(), member.name.GetStringLength()),
          JsonValue(&member.value)};
}

JsonValue JsonElements::iterator::operator*() const {
  return JsonValue(&(*raw(array_))[static_cast<rapidjson::SizeType>(index_)]);
}

std::string JsonValue::describe() const {
  switch (type()) {
    case JsonType::Missing: return "nothing";
    case JsonType::Null: return "null";
    case JsonType::Bool: return *boolean() ? "true" : "false";
    case JsonType::Number: return "the number " + number_text(*raw(value_));
    case JsonType::String: return "the string " + quoted(*string());
    case JsonType::Array: return "an array";
    case JsonType::Object: return "an object";
  }
  return "nothing";
}

// ---- Json ----

struct Json::Document {
  // Chunks sized to the text: RapidJSON's default first chunk is 64 KiB, a page of wasm
  // memory for a 200-byte configuration.
  explicit Document(size_t text_size)
      : pool(text_size < 512 ? 1024 : 2 * text_size), doc(&pool, 256) {}
  rapidjson::MemoryPoolAllocator<> pool;
  rapidjson::Document doc;
};

Json::Json(std::unique_ptr<Document> document) : document_(std::move(document)) {}
Json::Json(Json&&) noexcept = default;
Json& Json::operator=(Json&&) noexcept = default;
Json::~Json() = default;

JsonValue Json::root() const { return JsonValue(&document_->doc); }

JsonResult<Json> Json::parse(std::string_view text) {
  auto document = std::make_unique<Document>(text.size());
  // Not in situ: the values own copies, so the text may go (a host buffer, say).
  document->doc.Parse(text.data(), text.size());
  if (document->doc.HasParseError()) {
    const size_t offset = document->doc.GetErrorOffset();
    return JsonError{"$", "not JSON: " + position(text, offset) + ": " +
                              rapidjson::GetParseError_En(document->doc.GetParseError())};
  }
  return Json(std::move(document));
}

// ---- typed reading ----

namespace detail {

std::string JsonReader::path() const {
  std::string out = "$";
  for (const Segment& segment : path_) {
    if (segment.index == kKey) {
      out.append(".").append(segment.key);
    } else {
      out.append("[").append(std::to_string(segment.index)).append("]");
    }
  }
  return out;
}

void JsonReader::fail(std::string_view what) {
  if (failed_) return;
  failed_ = true;
  error_ = JsonError{path(), std::string(what)};
}

void JsonReader::fail_at(std::string_view key, std::string_view what) {
  enter(key);
  fail(what);
  leave();
}

void JsonReader::mismatch(std::string_view expected, JsonValue got) {
  fail("expected " + std::string(expected) + ", got " + got.describe());
}

bool JsonReader::expect(JsonValue value, JsonType type, std::string_view expected) {
  if (value.type() == type) return true;
  mismatch(expected, value);
  return false;
}

bool JsonReader::read(JsonValue value, bool& out) {
  if (std::optional<bool> b = value.boolean()) {
    out = *b;
    return true;
  }
  mismatch("true or false", value);
  return false;
}

bool JsonReader::read(JsonValue value, std::string& out) {
  if (std::optional<std::string_view> s = value.string()) {
    out.assign(s->data(), s->size());
    return true;
  }
  mismatch("a string", value);
  return false;
}

bool JsonReader::read_signed(JsonValue value, int64_t min, int64_t max, int64_t& out) {
  std::optional<int64_t> n = value.integer();
  if (!n) {
    mismatch("an integer", value);
    return false;
  }
  if (*n < min || *n > max) {
    fail("expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
         ", got " + std::to_string(*n));
    return false;
  }
  out = *n;
  return true;
}

bool JsonReader::read_unsigned(JsonValue value, uint64_t max, uint64_t& out) {
  std::optional<uint64_t> n = value.unsigned_integer();
  if (!n || *n > max) {
    mismatch("an integer from 0 to " + std::to_string(max), value);
    return false;
  }
  out = *n;
  return true;
}

bool JsonReader::read(JsonValue value, double& out) {
  if (std::optional<double> d = value.number()) {
    out = *d;
    return true;
  }
  mismatch("a number", value);
  return false;
}

namespace {

// "1.5s" as nanoseconds; false unless a decimal number and one of the units.
bool parse_duration(std::string_view text, double& nanoseconds) {
  static constexpr struct {
    std::string_view suffix;
    double nanoseconds;
  } kUnits[] = {{"ns", 1},    {"us", 1e3},  {"ms", 1e6},
                {"s", 1e9},   {"m", 60e9},  {"h", 3600e9}};
  size_t digits = 0;
  bool dot = false;
  while (digits < text.size() &&
         ((text[digits] >= '0' && text[digits] <= '9') || (text[digits] == '.' && !dot))) {
    dot = dot || text[digits] == '.';
    ++digits;
  }
  if (digits == 0 || (digits == 1 && dot)) return false;
  const std::string_view unit = text.substr(digits);
  for (const auto& u : kUnits) {
    if (unit == u.suffix) {
      double number = 0;
      double scale = 1;
      bool fraction = false;
      for (char c : text.substr(0, digits)) {
        if (c == '.') {
          fraction = true;
        } else if (fraction) {
          scale /= 10;
          number += (c - '0') * scale;
        } else {
          number = number * 10 + (c - '0');
        }
      }
      nanoseconds = number * u.nanoseconds;
      return true;
    }
  }
  return false;
}

}  // namespace

bool JsonReader::read_duration(JsonValue value, int64_t nanoseconds_per_unit,
                               std::string_view unit, int64_t& out) {
  const std::string expected = "a number of " + std::string(unit) +
                               " or a duration such as \"250ms\", \"1.5s\", \"2m\"";
  double units = 0;
  if (std::optional<double> n = value.number()) {
    units = *n;
  } else if (std::optional<std::string_view> s = value.string()) {
    double nanoseconds = 0;
    if (!parse_duration(*s, nanoseconds)) {
      mismatch(expected, value);
      return false;
    }
    units = nanoseconds / static_cast<double>(nanoseconds_per_unit);
  } else {
    mismatch(expected, value);
    return false;
  }
  if (units < 0 || units > 9.2e18 / static_cast<double>(nanoseconds_per_unit)) {
    fail("expected a duration from 0 up, got " + value.describe());
    return false;
  }
  const double whole = std::floor(units);
  if (whole != units) {
    fail("expected a whole number of " + std::string(unit) + ", got " + value.describe());
    return false;
  }
  out = static_cast<int64_t>(whole);
  return true;
}

bool JsonReader::read_choice(JsonValue value, const std::string_view* names, size_t count,
                             size_t& out) {
  std::optional<std::string_view> s = value.string();
  for (size_t i = 0; s && i < count; ++i) {
    if (names[i] == *s) {
      out = i;
      return true;
    }
  }
  std::string expected = "one of";
  for (size_t i = 0; i < count; ++i) expected.append(i ? ", \"" : " \"").append(names[i]) += '"';
  mismatch(expected, value);
  return false;
}

}  // namespace detail

// ---- JsonFields ----

JsonValue JsonFields::take(std::string_view key, bool required) {
  known_.push_back(key);
  if (!reader_.ok()) return JsonValue();
  JsonValue value = object_[key];
  if (value && !value.is_null()) return value;
  if (required && !reader_.required_given()) reader_.fail_at(key, "required, missing");
  return JsonValue();
}

bool JsonFields::has(std::string_view key) const { return static_cast<bool>(object_[key]); }

void JsonFields::check_unknown(std::initializer_list<std::string_view> also_known) {
  if (reader_.unknown_fields() == UnknownFields::Ignore) return;
  for (auto [key, value] : object_.members()) {
    bool known = false;
    for (std::string_view k : known_) known = known || k == key;
    for (std::string_view k : also_known) known = known || k == key;
    if (known) continue;
    std::string what = "unknown field";
    if (!known_.empty()) {
      what += " (known:";
      for (size_t i = 0; i < known_.size(); ++i) what.append(i ? ", " : " ").append(known_[i]);
      what += ")";
    }
    reader_.fail_at(key, what);
    return;
  }
}

}  // namespace coproxy
