// Small image files written with Qt's writers, for the image-folder and list-file tests.
#pragma once

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QtTest>

namespace imblab::test {

// A uniform grey PNG of size×size pixels (folders above it are made).
inline void writeGreyPng(const QString& path, int value, int size = 8) {
    QDir().mkpath(QFileInfo(path).path());
    QImage img(size, size, QImage::Format_Grayscale8);
    img.fill(value);
    QVERIFY2(img.save(path), qPrintable(path));
}

} // namespace imblab::test
