// snn_fifo: a first-in first-out queue of 2^ADDR words of WIDTH bits. A word goes in when
// `in_valid && in_ready` and comes out when `out_valid && out_ready`; `out_data` is the oldest
// word (read without a register). Both may happen in one clock, also when it is full.
`default_nettype none
module snn_fifo #(
    parameter WIDTH = 8,
    parameter ADDR = 4
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [WIDTH-1:0] in_data,
    output wire             in_ready,
    output wire             out_valid,
    output wire [WIDTH-1:0] out_data,
    input  wire             out_ready
);
    reg [WIDTH-1:0] mem [0:(1<<ADDR)-1];
    reg [ADDR:0] head, tail;          // one bit more than the address: full and empty differ
    integer i;
    initial begin
        for (i = 0; i < (1 << ADDR); i = i + 1) mem[i] = {WIDTH{1'b0}};
        head = {(ADDR+1){1'b0}};
        tail = {(ADDR+1){1'b0}};
    end
    wire full = head[ADDR-1:0] == tail[ADDR-1:0] && head[ADDR] != tail[ADDR];
    assign out_valid = head != tail;
    assign in_ready = !full || out_ready;
    assign out_data = mem[tail[ADDR-1:0]];
    always @(posedge clk) begin
        if (rst) begin
            head <= {(ADDR+1){1'b0}};
            tail <= {(ADDR+1){1'b0}};
        end else begin
            if (in_valid && in_ready) begin
                mem[head[ADDR-1:0]] <= in_data;
                head <= head + 1'b1;
            end
            if (out_valid && out_ready) tail <= tail + 1'b1;
        end
    end
endmodule
`default_nettype wire
