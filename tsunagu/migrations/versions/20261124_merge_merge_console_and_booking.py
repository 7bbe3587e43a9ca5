"""merge console and booking

Revision ID: 20261124_merge
Revises: 20261124_booking, 20261124_console
Create Date: 2026-11-24 05:42:44.164520
"""


revision = '20261124_merge'
down_revision = ('20261124_booking', '20261124_console')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
