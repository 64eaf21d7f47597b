/* The exact integer ledger; see ledger.h. */
#include "ledger.h"

void ledger_day_begin(ledger_t *l)
{
    l->minted = 0;
    l->burned = 0;
}

int ledger_transfer(ledger_t *l, account_t from, account_t to, int64_t amount)
{
    if (amount < 0 || l->balance[from] < amount)
        return -1;
    l->balance[from] -= amount;
    l->balance[to] += amount;
    return 0;
}

int ledger_mint(ledger_t *l, account_t to, int64_t amount)
{
    if (amount < 0 || l->supply > INT64_MAX - amount)
        return -1;
    l->balance[to] += amount;
    l->supply += amount;
    l->minted += amount;
    return 0;
}

int ledger_burn(ledger_t *l, account_t from, int64_t amount)
{
    if (amount < 0 || l->balance[from] < amount)
        return -1;
    l->balance[from] -= amount;
    l->supply -= amount;
    l->burned += amount;
    return 0;
}

int64_t ledger_sum(const ledger_t *l)
{
    int64_t s = 0;
    for (int a = 0; a < ACCT_COUNT; a++)
        s += l->balance[a];
    return s;
}

const char *ledger_account_name(account_t a)
{
    static const char *names[ACCT_COUNT] = {
        "holders", "bonded", "unbonding", "community_pool", "fee_collector", "validators",
        "escrow", "providers", "vault"
    };
    return (unsigned)a < ACCT_COUNT ? names[a] : "?";
}
