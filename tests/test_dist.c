/* Distribution over ranks: the slices of a batch cover it once, in rank
 * order, as evenly as possible; without MPI the collectives are the
 * one-process identities (rank 0 of 1). */
#include "test_util.h"

#include <string.h>

#include "dist.h"

static void test_slices_cover_a_batch_once_in_order(void **state)
{
    (void)state;
    const size_t counts[] = {0, 1, 2, 7, 128, 129, 1000};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        for (int size = 1; size <= 9; size++) {
            size_t next = 0, smallest = counts[c], largest = 0;
            for (int r = 0; r < size; r++) {
                size_t lo, hi;
                dist_slice(counts[c], r, size, &lo, &hi);
                assert_int_equal(lo, next);   /* contiguous, in rank order */
                assert_true(hi >= lo);
                next = hi;
                smallest = hi - lo < smallest ? hi - lo : smallest;
                largest = hi - lo > largest ? hi - lo : largest;
            }
            assert_int_equal(next, counts[c]);
            assert_true(largest - smallest <= 1);
        }
    }
    size_t lo, hi;
    dist_slice(7, 2, 3, &lo, &hi);   /* 3, 2, 2 */
    assert_int_equal(lo, 5);
    assert_int_equal(hi, 7);
}

static void test_one_process_without_init(void **state)
{
    (void)state;
    assert_int_equal(dist_rank(), 0);
    assert_int_equal(dist_size(), 1);
    assert_int_equal(dist_any(0), 0);
    assert_int_equal(dist_any(3), 1);
    sim_error_t err;
    sim_error_clear(&err);
    assert_int_equal(dist_agree(SIM_OK, &err), SIM_OK);
    sim_fail(&err, SIM_ERANGE, "run 4: out of range");
    assert_int_equal(dist_agree(SIM_ERANGE, &err), SIM_ERANGE);
    assert_string_equal(err.msg, "run 4: out of range");
    double buf[3] = {2.385, -1.5, 7.25}, copy[3];
    memcpy(copy, buf, sizeof buf);
    dist_bcast(buf, sizeof buf);
    dist_gather(buf, 3, sizeof buf[0]);
    assert_memory_equal(buf, copy, sizeof buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slices_cover_a_batch_once_in_order),
        cmocka_unit_test(test_one_process_without_init),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
