// The message of what `f` throws, or empty when it returns: tests compare error texts whole.
#pragma once

#include <QString>

#include <exception>

namespace imblab::test {

template <typename F>
QString errorOf(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace imblab::test
