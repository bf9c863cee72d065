"""What every API endpoint shares: permissions, pagination, the one error shape, the routes."""
