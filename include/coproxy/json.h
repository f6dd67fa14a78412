// JSON: a parsed document (Json) to read by hand, and typed reading into the plugin's own
// structs (json_read, JsonFields) with defaults, required fields and one error that names the
// field by its JSON path. The same reader serves configurations, bodies and callout replies.
// Built on RapidJSON (docs/design-notes.md, "JSON"), which no header here includes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace coproxy {

enum class JsonType : uint8_t { Missing, Null, Bool, Number, String, Array, Object };

class JsonMembers;
class JsonElements;

// A value inside a Json document: a cheap view, valid while the document lives. Looking up
// what is not there gives a Missing value (false in a test), never a trap, so lookups chain:
// `doc["user"]["id"].string()`.
class JsonValue {
 public:
  JsonValue() = default;

  JsonType type() const;
  explicit operator bool() const { return value_ != nullptr; }  // false: Missing
  bool is_null() const { return type() == JsonType::Null; }
  bool is_bool() const { return type() == JsonType::Bool; }
  bool is_number() const { return type() == JsonType::Number; }
  bool is_string() const { return type() == JsonType::String; }
  bool is_array() const { return type() == JsonType::Array; }
  bool is_object() const { return type() == JsonType::Object; }

  // The value as that type, or nullopt when it is another type. integer() is exact: 1.5 and
  // 1e30 are numbers but not integers.
  std::optional<bool> boolean() const;
  std::optional<int64_t> integer() const;
  std::optional<uint64_t> unsigned_integer() const;
  std::optional<double> number() const;
  std::optional<std::string_view> string() const;  // unescaped; may hold '\0'

  // An object's member (Missing when absent or not an object); the first, if repeated.
  JsonValue operator[](std::string_view key) const;
  // An array's element (Missing when out of range or not an array).
  JsonValue operator[](size_t index) const;
  JsonValue operator[](int index) const { return (*this)[static_cast<size_t>(index)]; }
  // Elements of an array or members of an object; 0 for anything else.
  size_t size() const;
  // for (auto [key, value] : v.members()), in document order; empty unless an object.
  JsonMembers members() const;
  // for (JsonValue element : v.elements()); empty unless an array.
  JsonElements elements() const;

  // "a string", "the number 42", "an object"...: what an error message says it got.
  std::string describe() const;

 private:
  friend class Json;
  friend class JsonMembers;
  friend class JsonElements;
  explicit JsonValue(const void* value) : value_(value) {}
  const void* value_ = nullptr;  // a rapidjson::Value
};

struct JsonMember {
  std::string_view key;
  JsonValue value;
};

class JsonMembers {
 public:
  class iterator {
   public:
    JsonMember operator*() const;
    iterator& operator++() { ++index_; return *this; }
    bool operator==(const iterator& other) const { return index_ == other.index_; }
   private:
    friend class JsonMembers;
    iterator(const void* object, size_t index) : object_(object), index_(index) {}
    const void* object_;
    size_t index_;
  };
  iterator begin() const { return {object_, 0}; }
  iterator end() const { return {object_, size_}; }
  size_t size() const { return size_; }

 private:
  friend class JsonValue;
  JsonMembers(const void* object, size_t size) : object_(object), size_(size) {}
  const void* object_;
  size_t size_;
};

class JsonElements {
 public:
  class iterator {
   public:
    JsonValue operator*() const;
    iterator& operator++() { ++index_; return *this; }
    bool operator==(const iterator& other) const { return index_ == other.index_; }
   private:
    friend class JsonElements;
    iterator(const void* array, size_t index) : array_(array), index_(index) {}
    const void* array_;
    size_t index_;
  };
  iterator begin() const { return {array_, 0}; }
  iterator end() const { return {array_, size_}; }
  size_t size() const { return size_; }

 private:
  friend class JsonValue;
  JsonElements(const void* array, size_t size) : array_(array), size_(size) {}
  const void* array_;
  size_t size_;
};

// Why a text is not the JSON expected: where (a JSON path such as `$.rules[1].timeout`, or
// `$` for the whole text) and what. message() is the one line an operator reads.
struct JsonError {
  std::string path;
  std::string what;
  std::string message() const { return path + ": " + what; }
};

// A T, or the JsonError that prevented it.
template <class T>
class [[nodiscard]] JsonResult {
 public:
  JsonResult(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  JsonResult(JsonError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Reading the value of an error is a programming error, as for Result<T>.
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  // The error; empty when ok().
  const JsonError& error() const { return error_; }

 private:
  std::optional<T> value_;
  JsonError error_;
};

// A parsed JSON text (RFC 8259; one value, surrounded by white space only). Owns its values;
// move-only.
class Json {
 public:
  // The document, or where and why the text is not JSON ("$: line 1, column 9: ...").
  static JsonResult<Json> parse(std::string_view text);

  Json(Json&&) noexcept;
  Json& operator=(Json&&) noexcept;
  ~Json();

  JsonValue root() const;
  JsonValue operator[](std::string_view key) const { return root()[key]; }
  JsonValue operator[](size_t index) const { return root()[index]; }

 private:
  struct Document;
  explicit Json(std::unique_ptr<Document> document);
  std::unique_ptr<Document> document_;
};

// What a typed read does with an object's members that its struct does not name.
enum class UnknownFields : uint8_t {
  Reject,  // an error naming the field and the known ones: catches a misspelt option
  Ignore,  // skipped: for bodies and replies that may grow fields the plugin does not read
};

class JsonFields;

namespace detail {

// The state of one typed read: where it is (for the error's path) and the first error.
class JsonReader {
 public:
  explicit JsonReader(UnknownFields unknown) : unknown_(unknown) {}
  bool ok() const { return !failed_; }
  UnknownFields unknown_fields() const { return unknown_; }
  void set_unknown_fields(UnknownFields unknown) { unknown_ = unknown; }
  // While set, a required field may be absent: its value came from elsewhere (a rule read
  // over the configuration's global part).
  void set_required_given(bool given) { required_given_ = given; }
  bool required_given() const { return required_given_; }

  void enter(std::string_view key) { path_.push_back({key, kKey}); }
  void enter(size_t index) { path_.push_back({{}, index}); }
  void leave() { path_.pop_back(); }
  // Records the first error at the current path (or at `key` below it).
  void fail(std::string_view what);
  void fail_at(std::string_view key, std::string_view what);
  // "expected EXPECTED, got <what value is>".
  void mismatch(std::string_view expected, JsonValue got);
  JsonError take_error() { return std::move(error_); }

  // The scalar readers: false (with the error recorded) when `value` is not of the type.
  bool read(JsonValue value, bool& out);
  bool read(JsonValue value, std::string& out);
  bool read_signed(JsonValue value, int64_t min, int64_t max, int64_t& out);
  bool read_unsigned(JsonValue value, uint64_t max, uint64_t& out);
  bool read(JsonValue value, double& out);
  // A number in the member's unit (`ratio`: that unit in nanoseconds), or a string with a unit
  // ("250ms", "1.5s", "2m", "1h", "100us", "10ns").
  bool read_duration(JsonValue value, int64_t nanoseconds_per_unit, std::string_view unit,
                     int64_t& out);
  // The index of `value` (a string) in `names`, or false listing them.
  bool read_choice(JsonValue value, const std::string_view* names, size_t count, size_t& out);
  bool expect(JsonValue value, JsonType type, std::string_view expected);

 private:
  static constexpr size_t kKey = static_cast<size_t>(-1);
  struct Segment {
    std::string_view key;
    size_t index;
  };
  std::string path() const;

  std::vector<Segment> path_;
  JsonError error_;
  bool failed_ = false;
  bool required_given_ = false;
  UnknownFields unknown_;
};

// Values made anew (a list's elements, a map's values, an optional's content) take nothing from
// a global part: their required fields are required again while they are read.
class FreshValues {
 public:
  explicit FreshValues(JsonReader& reader) : reader_(reader), given_(reader.required_given()) {
    reader_.set_required_given(false);
  }
  ~FreshValues() { reader_.set_required_given(given_); }
  FreshValues(const FreshValues&) = delete;
  FreshValues& operator=(const FreshValues&) = delete;

 private:
  JsonReader& reader_;
  bool given_;
};

template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsStringMap : std::false_type {};
template <class T, class C, class A>
struct IsStringMap<std::map<std::string, T, C, A>> : std::true_type {};
template <class T>
struct IsPairVector : std::false_type {};
template <class T, class A>
struct IsPairVector<std::vector<std::pair<std::string, T>, A>> : std::true_type {};
template <class T>
struct IsDuration : std::false_type {};
template <class R, class P>
struct IsDuration<std::chrono::duration<R, P>> : std::true_type {};

template <class T>
concept HasJsonFields = requires(T& t, JsonFields& f) { t.json_fields(f); };

template <class T>
void read_value(JsonReader& reader, JsonValue value, T& out);

// An object read through T::json_fields, unknown members checked after; `also_known` are
// members someone else reads (a rule's match keys, say).
template <class T>
void read_object(JsonReader& reader, JsonValue value, T& out,
                 std::initializer_list<std::string_view> also_known = {});

template <class T>
std::string_view unit_name() {
  using P = typename T::period;
  if constexpr (std::is_same_v<P, std::nano>) return "nanoseconds";
  else if constexpr (std::is_same_v<P, std::micro>) return "microseconds";
  else if constexpr (std::is_same_v<P, std::milli>) return "milliseconds";
  else if constexpr (std::is_same_v<P, std::ratio<1>>) return "seconds";
  else if constexpr (std::is_same_v<P, std::ratio<60>>) return "minutes";
  else return "hours";
}

}  // namespace detail

// What a struct's json_fields(JsonFields&) is handed: one call per field it reads. A call reads
// the member when the key is there (a null counts as absent) and leaves it as it was
// otherwise, so the member's initializer is its default. Checks go right after the read:
//
//   struct Limits {
//     int64_t requests = 100;                        // default
//     std::chrono::milliseconds window{1000};        // 1000, or "1s"
//     std::vector<std::string> exempt;
//     void json_fields(coproxy::JsonFields& f) {
//       f.optional("requests", requests);
//       if (requests < 1) f.invalid("requests", "must be at least 1");
//       f.optional("window", window);
//       f.optional("exempt", exempt);
//     }
//   };
//
// Member types: bool, integers (range-checked), double, float, std::string,
// std::chrono::duration, std::optional<T>, std::vector<T>, std::map<std::string, T> and
// std::vector<std::pair<std::string, T>> (from an object, in its order), and any struct with
// its own json_fields. A std::vector or map read replaces the member's content.
class JsonFields {
 public:
  template <class T>
  void optional(std::string_view key, T& member) {
    if (JsonValue value = take(key, false)) read(key, value, member);
  }
  template <class T>
  void required(std::string_view key, T& member) {
    if (JsonValue value = take(key, true)) read(key, value, member);
  }
  // A string naming one of `choices`: f.optional("mode", mode, {{"append", Mode::Append}, ...}).
  template <class E>
  void optional(std::string_view key, E& member,
                std::initializer_list<std::pair<std::string_view, E>> choices) {
    if (JsonValue value = take(key, false)) choose(key, value, member, choices);
  }
  template <class E>
  void required(std::string_view key, E& member,
                std::initializer_list<std::pair<std::string_view, E>> choices) {
    if (JsonValue value = take(key, true)) choose(key, value, member, choices);
  }
  // The field `key` was read but is not acceptable: the read fails with "$.key: what".
  void invalid(std::string_view key, std::string_view what) { reader_.fail_at(key, what); }
  // True while no field has failed.
  bool ok() const { return reader_.ok(); }
  // Whether `key` is in the object at all (null included): for a field whose absence means
  // something other than its default.
  bool has(std::string_view key) const;
  // The object itself, for what the typed fields cannot say.
  JsonValue object() const { return object_; }

 private:
  template <class T>
  friend void detail::read_object(detail::JsonReader&, JsonValue, T&,
                                  std::initializer_list<std::string_view>);
  JsonFields(detail::JsonReader& reader, JsonValue object) : reader_(reader), object_(object) {}

  // The member `key` (Missing when absent, null, or after an error); remembers the key as
  // known. A required key that is absent fails the read.
  JsonValue take(std::string_view key, bool required);
  // After json_fields: the first member no call took, and not `also_known`, fails the read
  // (UnknownFields::Reject).
  void check_unknown(std::initializer_list<std::string_view> also_known);

  template <class T>
  void read(std::string_view key, JsonValue value, T& member) {
    reader_.enter(key);
    detail::read_value(reader_, value, member);
    reader_.leave();
  }
  template <class E>
  void choose(std::string_view key, JsonValue value, E& member,
              std::initializer_list<std::pair<std::string_view, E>> choices) {
    std::string_view names[16];
    size_t count = 0;
    for (const auto& choice : choices) {
      if (count < 16) names[count++] = choice.first;
    }
    size_t index = 0;
    reader_.enter(key);
    if (reader_.read_choice(value, names, count, index)) member = (choices.begin() + index)->second;
    reader_.leave();
  }

  detail::JsonReader& reader_;
  JsonValue object_;
  std::vector<std::string_view> known_;
};

namespace detail {

template <class T>
void read_object(JsonReader& reader, JsonValue value, T& out,
                 std::initializer_list<std::string_view> also_known) {
  if (!reader.expect(value, JsonType::Object, "an object")) return;
  JsonFields fields(reader, value);
  out.json_fields(fields);
  if (reader.ok()) fields.check_unknown(also_known);
}

template <class T>
void read_value(JsonReader& reader, JsonValue value, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    reader.read(value, out);
  } else if constexpr (std::is_same_v<T, std::string>) {
    reader.read(value, out);
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    int64_t read = 0;
    if (reader.read_signed(value, std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                           read)) {
      out = static_cast<T>(read);
    }
  } else if constexpr (std::is_integral_v<T>) {
    uint64_t read = 0;
    if (reader.read_unsigned(value, std::numeric_limits<T>::max(), read)) {
      out = static_cast<T>(read);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    double read = 0;
    if (reader.read(value, read)) out = static_cast<T>(read);
  } else if constexpr (IsDuration<T>::value) {
    using Nanos = std::chrono::duration<int64_t, std::nano>;
    int64_t read = 0;
    if (reader.read_duration(value, std::chrono::duration_cast<Nanos>(T(1)).count(),
                             unit_name<T>(), read)) {
      out = T(static_cast<typename T::rep>(read));
    }
  } else if constexpr (IsOptional<T>::value) {
    FreshValues fresh(reader);
    typename T::value_type inner{};
    read_value(reader, value, inner);
    if (reader.ok()) out = std::move(inner);
  } else if constexpr (IsPairVector<T>::value) {
    if (!reader.expect(value, JsonType::Object, "an object")) return;
    FreshValues fresh(reader);
    T read;
    for (auto [key, member] : value.members()) {
      read.emplace_back(std::string(key), typename T::value_type::second_type{});
      reader.enter(key);
      read_value(reader, member, read.back().second);
      reader.leave();
      if (!reader.ok()) return;
    }
    out = std::move(read);
  } else if constexpr (IsVector<T>::value) {
    if (!reader.expect(value, JsonType::Array, "an array")) return;
    FreshValues fresh(reader);
    T read;
    read.reserve(value.size());
    size_t index = 0;
    for (JsonValue element : value.elements()) {
      read.emplace_back();
      reader.enter(index++);
      read_value(reader, element, read.back());
      reader.leave();
      if (!reader.ok()) return;
    }
    out = std::move(read);
  } else if constexpr (IsStringMap<T>::value) {
    if (!reader.expect(value, JsonType::Object, "an object")) return;
    FreshValues fresh(reader);
    T read;
    for (auto [key, member] : value.members()) {
      reader.enter(key);
      read_value(reader, member, read[std::string(key)]);
      reader.leave();
      if (!reader.ok()) return;
    }
    out = std::move(read);
  } else if constexpr (HasJsonFields<T>) {
    read_object(reader, value, out);
  } else {
    static_assert(HasJsonFields<T>,
                  "coproxy: no JSON reading for this type; give it "
                  "void json_fields(coproxy::JsonFields&)");
  }
}

}  // namespace detail

// Reads `value` into `out` over what `out` holds: a field the JSON leaves out keeps its value.
// The JsonError of the first field that does not fit, or nullopt.
template <class T>
std::optional<JsonError> json_read(JsonValue value, T& out,
                                   UnknownFields unknown = UnknownFields::Reject) {
  detail::JsonReader reader(unknown);
  detail::read_value(reader, value, out);
  if (reader.ok()) return std::nullopt;
  return reader.take_error();
}

// Parses `text` and reads it into a new T (its fields start from their defaults).
template <class T>
JsonResult<T> json_read(std::string_view text, UnknownFields unknown = UnknownFields::Reject) {
  JsonResult<Json> json = Json::parse(text);
  if (!json) return json.error();
  T out{};
  if (std::optional<JsonError> error = json_read(json->root(), out, unknown)) {
    return std::move(*error);
  }
  return out;
}

}  // namespace coproxy
