#include "core/task_pool.h"

namespace lir {

TaskPool::TaskPool(int jobs) {
  if (jobs <= 1) return;
  try {
    for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { Work(); });
  } catch (...) {  // a thread that could not start: stop those that did, then report it
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
    throw;
  }
}

TaskPool::~TaskPool() {
  WaitIdle();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void TaskPool::Submit(std::function<void()> task) {
  if (threads_.empty()) {
    task();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
    ++pending_;
  }
  ready_.notify_one();
}

void TaskPool::WaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return pending_ == 0; });
}

void TaskPool::Wait() {
  WaitIdle();
  std::exception_ptr failure;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(failure, failure_);
  }
  if (failure) std::rethrow_exception(failure);
}

void TaskPool::Work() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    std::exception_ptr thrown;
    try {
      task();
    } catch (...) {
      thrown = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (thrown && !failure_) failure_ = thrown;
    if (--pending_ == 0) idle_.notify_all();
  }
}

}  // namespace lir
