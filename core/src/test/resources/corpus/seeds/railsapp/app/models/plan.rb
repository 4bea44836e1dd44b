# a model of the seeds beside it (read for its uniqueness validation and class methods)
class Plan < ApplicationRecord
  validates :code, presence: true, uniqueness: true

  def self.remove_legacy
    where(legacy: true).destroy_all
  end
end
