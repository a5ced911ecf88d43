"""users.session_epoch: the epoch a session cookie is issued under; raised by a new password,
a deactivation or `socinvest user logout`, it ends every session issued before

Existing users start at 0. Cookies issued before this revision carry no epoch and are refused
(everyone logs in once more after the upgrade).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 14:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column(
        "users", sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    """Downgrade schema."""
    # not batch mode: rebuilding `users` on SQLite would drop a table the foreign keys of
    # memberships, documents and versions point at (SQLite >= 3.35 drops a column in place)
    op.drop_column("users", "session_epoch")
