// The allocator thresholds the programs set at start (util/allocator_tuning.h): a batch-sized
// block comes from the heap, not a fresh mapping, and stays with the process once freed.
#include "util/allocator_tuning.h"

#include <QtTest>

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

class TestAllocatorTuning : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void batchSizedBlocksStayOnTheHeap() {
#if !defined(__GLIBC__)
        QSKIP("glibc's allocator only");
#else
        if (std::getenv("GLIBC_TUNABLES") || std::getenv("MALLOC_MMAP_THRESHOLD_"))
            QSKIP("the allocator's own tunables are set: the user's settings win");
        constexpr size_t kBlock = 24u << 20;  // 24 MiB: a large batch's activations
        // Untuned, glibc would map a block this size afresh (its threshold starts at 128 KiB and
        // rises only once a mapped block is freed, which this fresh process has not done).
        imblab::keepFreedMemoryForReuse();
        const size_t mapped = mallinfo2().hblkhd;
        void* block = std::malloc(kBlock);
        QVERIFY(block);
        static_cast<volatile char*>(block)[kBlock - 1] = 1;  // touched, as a tensor would be
        QCOMPARE(mallinfo2().hblkhd, mapped);                 // no new mapping: from the heap
        std::free(block);
        // Freed, it stays with the process for the next batch instead of going back to the system.
        QVERIFY2(mallinfo2().fordblks >= kBlock, qPrintable(QString::number(mallinfo2().fordblks)));
        // Above glibc's largest threshold (32 MiB on 64-bit) blocks are still mapped, and returned.
        void* huge = std::malloc(64u << 20);
        QVERIFY(huge);
        QVERIFY(mallinfo2().hblkhd >= mapped + (64u << 20));
        std::free(huge);
        QCOMPARE(mallinfo2().hblkhd, mapped);
#endif
    }
};

QTEST_GUILESS_MAIN(TestAllocatorTuning)
#include "tst_allocator_tuning.moc"
